using System.Text.Json;
using SentryFlow.Hosting;
using SentryFlow.Hosting.ApplicationModel;
using SentryFlow.Hosting.Orchestration;
using SentryFlow.Hosting.Servers;

namespace SentryFlow.Testing;

/// <summary>
/// Real PostgreSQL, Redis and RabbitMQ for the whole test run, started by the AppHost's own resource code.
/// The first test process to need them starts them; test processes running beside it join them (RabbitMQ takes
/// seconds to boot, so it boots once per run); the last one to leave stops them. Each test host gets its own
/// database and RabbitMQ virtual host, so test assemblies running in parallel never see each other's data.
/// </summary>
public sealed class TestServers
{
    private static readonly Lazy<Task<TestServers>> Shared = new(StartOrJoinAsync);
    private readonly DistributedApplication _app;
    private readonly FileStream _usage;

    private TestServers(DistributedApplication app, FileStream usage)
    {
        _app = app;
        _usage = usage;
    }

    /// <summary>Override with <c>SENTRYFLOW_TEST_STATE</c>; defaults to a folder under the system's temp folder.</summary>
    public static string Root { get; } =
        Environment.GetEnvironmentVariable("SENTRYFLOW_TEST_STATE") ?? Path.Combine(Path.GetTempPath(), "sentryflow-testing");

    /// <summary>
    /// <c>SENTRYFLOW_TEST_KEEP_STATE=1</c>: servers started afresh keep the databases of earlier runs (as the AppHost does
    /// without <c>--clean</c>), so a benchmark can load once and query many times. Tests leave it unset: they start clean.
    /// </summary>
    private static bool KeepState => Environment.GetEnvironmentVariable("SENTRYFLOW_TEST_KEEP_STATE") == "1";

    private static string RecordPath => Path.Combine(Root, "servers.json");

    private static string GatePath => Path.Combine(Root, "gate.lock");

    private static string UsagePath => Path.Combine(Root, "usage.lock");

    public PostgresServerResource Postgres => _app.Resource<PostgresServerResource>("postgres");

    public RedisResource Redis => _app.Resource<RedisResource>("redis");

    public RabbitMQServerResource Messaging => _app.Resource<RabbitMQServerResource>("messaging");

    public static Task<TestServers> GetAsync() => Shared.Value;

    public string PostgresDatabase(string database) => $"{Postgres.ConnectionString};Database={database}";

    /// <summary>A fresh virtual host of the broker, and the <c>amqp://</c> URI that selects it.</summary>
    public async Task<string> MessagingVirtualHostAsync(string virtualHost)
    {
        await Messaging.AddVirtualHostAsync(virtualHost);
        return $"{Messaging.ConnectionString}/{Uri.EscapeDataString(virtualHost)}";
    }

    private static async Task<TestServers> StartOrJoinAsync()
    {
        Directory.CreateDirectory(Root);
        await using var gate = await FileLock.AcquireExclusiveAsync(GatePath, TimeSpan.FromMinutes(10));
        var app = await JoinAsync();
        if (app is null)
        {
            app = Model(clean: !KeepState);
            await app.StartAsync();
            await File.WriteAllTextAsync(RecordPath, JsonSerializer.Serialize(Record(app)));
        }

        var servers = new TestServers(app, FileLock.Shared(UsagePath));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => servers.LeaveAsync().GetAwaiter().GetResult();
        return servers;
    }

    /// <summary>The servers another test process started, when they are all still healthy; stale ones are stopped.</summary>
    private static async Task<DistributedApplication?> JoinAsync()
    {
        if (!File.Exists(RecordPath))
        {
            return null;
        }

        var app = Model(clean: false);
        var record = JsonSerializer.Deserialize<ServersRecord>(await File.ReadAllTextAsync(RecordPath))!;
        Adopt(app, record);
        var servers = app.Resources.OfType<ExecutableResource>().ToArray();
        var health = await Task.WhenAll(servers.Select(s => s.CheckHealthAsync(CancellationToken.None)));
        if (health.All(reason => reason is null))
        {
            return app;
        }

        await Task.WhenAll(servers.Select(s => s.StopProcessAsync()));
        File.Delete(RecordPath);
        return null;
    }

    private async Task LeaveAsync()
    {
        await using var gate = await FileLock.AcquireExclusiveAsync(GatePath, TimeSpan.FromMinutes(2));
        await _usage.DisposeAsync();
        await using var last = FileLock.TryOpen(UsagePath, FileShare.None);
        if (last is not null)
        {
            await Task.WhenAll(_app.Resources.OfType<ExecutableResource>().Select(s => s.StopProcessAsync()));
            File.Delete(RecordPath);
        }
    }

    private static DistributedApplication Model(bool clean)
    {
        var builder = new DistributedApplicationBuilder(
            new DistributedApplicationOptions { StateDirectory = Path.Combine(Root, "state"), Clean = clean },
            AppContext.BaseDirectory);
        builder.AddPostgres("postgres");
        builder.AddRedis("redis").Resource.Persistent = false;
        builder.AddRabbitMQ("messaging");
        return new DistributedApplication(builder) { Console = new ConsoleSink { EchoResourceOutput = false } };
    }

    private static ServersRecord Record(DistributedApplication app)
    {
        var postgres = app.Resource<PostgresServerResource>("postgres");
        var redis = app.Resource<RedisResource>("redis");
        var messaging = app.Resource<RabbitMQServerResource>("messaging");
        return new ServersRecord(postgres.Port, postgres.ProcessId!.Value, redis.Port, redis.ProcessId!.Value,
            messaging.Port, messaging.DistributionPort, messaging.EpmdPort, messaging.ProcessId!.Value);
    }

    private static void Adopt(DistributedApplication app, ServersRecord record)
    {
        var state = new StateDirectory(Path.Combine(Root, "state"));
        foreach (var resource in app.Resources.OfType<ExecutableResource>())
        {
            resource.Allocate(state);
        }

        var postgres = app.Resource<PostgresServerResource>("postgres");
        (postgres.Port, postgres.ProcessId) = (record.PostgresPort, record.PostgresPid);
        var redis = app.Resource<RedisResource>("redis");
        (redis.Port, redis.ProcessId) = (record.RedisPort, record.RedisPid);
        var messaging = app.Resource<RabbitMQServerResource>("messaging");
        (messaging.Port, messaging.DistributionPort, messaging.EpmdPort, messaging.ProcessId) =
            (record.MessagingPort, record.MessagingDistributionPort, record.MessagingEpmdPort, record.MessagingPid);
    }
}
