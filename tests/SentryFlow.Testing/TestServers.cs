using System.Text.Json;
using SentryFlow.Hosting.LocalServers;

namespace SentryFlow.Testing;

/// <summary>
/// Real PostgreSQL, Redis and RabbitMQ for the whole test run, started from the same recipes the AppHost's local-server
/// resources run (<c>SentryFlow.Hosting.LocalServers</c>), without an orchestrator. The first test process to need them
/// starts them; test processes running beside it join them (RabbitMQ takes seconds to boot, so it boots once per run);
/// the last one to leave stops them. Each test host gets its own database and RabbitMQ virtual host, so test assemblies
/// running in parallel never see each other's data.
/// </summary>
public sealed class TestServers
{
    private static readonly Lazy<Task<TestServers>> Shared = new(StartOrJoinAsync);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly ServersRecord _record;
    private readonly FileStream _usage;

    private TestServers(ServersRecord record, FileStream usage)
    {
        _record = record;
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

    private static string StateRoot => Path.Combine(Root, "state");

    private static string PostgresFolder => Path.Combine(StateRoot, "postgres");

    private static string RedisFolder => Path.Combine(StateRoot, "redis");

    private static string MessagingFolder => Path.Combine(StateRoot, "messaging");

    public string PostgresConnectionString => PostgresServer.ConnectionString(_record.PostgresPort, _record.Password);

    public string RedisConnectionString => RedisServer.ConnectionString(_record.RedisPort, _record.Password);

    public int PostgresProcessId => _record.PostgresPid;

    public int RedisProcessId => _record.RedisPid;

    public int MessagingProcessId => _record.MessagingPid;

    public static Task<TestServers> GetAsync() => Shared.Value;

    public string PostgresDatabase(string database) => $"{PostgresConnectionString};Database={database}";

    /// <summary>A fresh virtual host of the broker, and the <c>amqp://</c> URI that selects it.</summary>
    public async Task<string> MessagingVirtualHostAsync(string virtualHost)
    {
        await RabbitMQServer.AddVirtualHostAsync(MessagingFolder, _record.EpmdPort, virtualHost);
        return $"{RabbitMQServer.ConnectionString(_record.MessagingPort, _record.Password)}/{Uri.EscapeDataString(virtualHost)}";
    }

    private static async Task<TestServers> StartOrJoinAsync()
    {
        Directory.CreateDirectory(Root);
        await using var gate = await FileLock.AcquireExclusiveAsync(GatePath, TimeSpan.FromMinutes(10));
        var record = await JoinAsync() ?? await StartAsync();
        var servers = new TestServers(record, FileLock.Shared(UsagePath));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => servers.LeaveAsync().GetAwaiter().GetResult();
        return servers;
    }

    /// <summary>The servers another test process started, when they are all still healthy; stale ones are stopped.</summary>
    private static async Task<ServersRecord?> JoinAsync()
    {
        if (!File.Exists(RecordPath))
        {
            return null;
        }

        var record = JsonSerializer.Deserialize<ServersRecord>(await File.ReadAllTextAsync(RecordPath))!;
        if (await HealthAsync(record, CancellationToken.None) is null)
        {
            return record;
        }

        await StopAsync(record);
        File.Delete(RecordPath);
        return null;
    }

    private static async Task<ServersRecord> StartAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var cancellationToken = timeout.Token;
        if (!KeepState && Directory.Exists(StateRoot))
        {
            Directory.Delete(StateRoot, recursive: true);
        }

        var state = new StateDirectory(StateRoot);
        await DebianPackages.EnsureInstalledAsync([PostgresServer.Package, RedisServer.Package, RabbitMQServer.Package], Console.WriteLine, cancellationToken);
        var password = state.GetOrCreateSecret("password", 22);
        var (postgresPort, redisPort, messagingPort, distributionPort, epmdPort) =
            (FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());

        var data = await PostgresServer.InitializeAsync(PostgresFolder, password, _ => { }, cancellationToken);
        var postgresPid = ServerProcess.Start(PostgresServer.Command(data, postgresPort), Log(PostgresFolder), state.Root);
        var configuration = await RedisServer.WriteConfigurationAsync(RedisFolder, password, persistent: false, cancellationToken);
        var redisPid = ServerProcess.Start(RedisServer.Command(configuration, redisPort), Log(RedisFolder), state.Root);
        await RabbitMQServer.PrepareAsync(MessagingFolder, password, cancellationToken);
        var epmdPid = ServerProcess.Start(RabbitMQServer.EpmdCommand(epmdPort), Path.Combine(MessagingFolder, "epmd.log"), state.Root);
        await WaitUntilAsync(token => RabbitMQServer.CheckEpmdHealthAsync(epmdPort, token), cancellationToken);
        var messagingPid = ServerProcess.Start(RabbitMQServer.Command(), Log(MessagingFolder), state.Root,
            RabbitMQServer.Environment(MessagingFolder, messagingPort, distributionPort, epmdPort));

        var record = new ServersRecord(password, postgresPort, postgresPid, redisPort, redisPid, messagingPort, messagingPid, epmdPort, epmdPid);
        await WaitUntilAsync(token => HealthAsync(record, token), cancellationToken);
        await File.WriteAllTextAsync(RecordPath, JsonSerializer.Serialize(record), CancellationToken.None);
        return record;
    }

    private async Task LeaveAsync()
    {
        await using var gate = await FileLock.AcquireExclusiveAsync(GatePath, TimeSpan.FromMinutes(2));
        await _usage.DisposeAsync();
        await using var last = FileLock.TryOpen(UsagePath, FileShare.None);
        if (last is not null)
        {
            await StopAsync(_record);
            File.Delete(RecordPath);
        }
    }

    /// <summary>PostgreSQL by its fast shutdown (SIGINT), the others by SIGTERM; epmd after the broker that uses it.</summary>
    private static async Task StopAsync(ServersRecord record)
    {
        await Task.WhenAll(
            ProcessSignals.StopAsync(record.PostgresPid, ProcessSignals.SIGINT, TimeSpan.FromSeconds(30)),
            ProcessSignals.StopAsync(record.RedisPid, ProcessSignals.SIGTERM, TimeSpan.FromSeconds(10)),
            ProcessSignals.StopAsync(record.MessagingPid, ProcessSignals.SIGTERM, TimeSpan.FromSeconds(30)));
        await ProcessSignals.StopAsync(record.EpmdPid, ProcessSignals.SIGTERM, TimeSpan.FromSeconds(5));
    }

    /// <returns>Null when every server answers its protocol, else the first problem.</returns>
    private static async Task<string?> HealthAsync(ServersRecord record, CancellationToken cancellationToken) =>
        await PostgresServer.CheckHealthAsync(PostgresServer.ConnectionString(record.PostgresPort, record.Password) + ";Database=postgres", cancellationToken)
        ?? await RedisServer.CheckHealthAsync(record.RedisPort, record.Password, cancellationToken)
        ?? await RabbitMQServer.CheckHealthAsync(record.MessagingPort, cancellationToken)
        ?? await RabbitMQServer.CheckEpmdHealthAsync(record.EpmdPort, cancellationToken);

    private static async Task WaitUntilAsync(Func<CancellationToken, Task<string?>> probe, CancellationToken cancellationToken)
    {
        while (await probe(cancellationToken) is { } problem)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The test servers did not come up: {problem}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static string Log(string folder) => Path.Combine(folder, "console.log");
}
