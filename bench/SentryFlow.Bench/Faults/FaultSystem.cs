using System.Diagnostics;
using System.Net;
using SentryFlow.Contracts;
using SentryFlow.Hosting.LocalServers;
using SentryFlow.Testing;

namespace SentryFlow.Bench.Faults;

/// <summary>A server the suite kills and pauses.</summary>
public enum FaultServer
{
    Postgres,
    Redis,
    Messaging,
}

/// <summary>
/// The whole system as separate processes the suite can kill, pause and start again: PostgreSQL, Redis and RabbitMQ
/// (with its epmd) from the AppHost's recipes (<c>SentryFlow.Hosting.LocalServers</c>) in a state folder of the suite's
/// own, never the test runs' shared servers; and identity, keys, rate-limit, ingest and analytics, each its built
/// assembly run by <c>dotnet</c> with the settings the AppHost gives it (connection strings, service discovery, ingest's
/// service client). Each process is a session of its own, so a kill takes its whole process group (PostgreSQL's
/// backends with its postmaster) and nothing of it is left to hold a port or a lock file.
/// </summary>
public sealed class FaultSystem : IAsyncDisposable
{
    /// <summary>What this suite runs (alerting is not on the ingest path the suite watches).</summary>
    public static readonly IReadOnlyList<string> ServiceNames =
        [SentryFlowResources.Identity, SentryFlowResources.Keys, SentryFlowResources.RateLimit, SentryFlowResources.Ingest, SentryFlowResources.Analytics];

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private static readonly Dictionary<string, string> Assemblies = new()
    {
        [SentryFlowResources.Identity] = "Identity",
        [SentryFlowResources.Keys] = "Keys",
        [SentryFlowResources.RateLimit] = "RateLimit",
        [SentryFlowResources.Ingest] = "Ingest",
        [SentryFlowResources.Analytics] = "Analytics",
    };

    private readonly string _root;
    private readonly string _password;
    private readonly string _ingestClientSecret = Guid.NewGuid().ToString("n");
    private readonly Dictionary<FaultServer, int> _serverPids = [];
    private readonly Dictionary<string, int> _servicePids = [];
    private readonly Dictionary<string, int> _servicePorts = [];
    private readonly int _postgresPort = FreePort.Next();
    private readonly int _redisPort = FreePort.Next();
    private readonly int _messagingPort = FreePort.Next();
    private readonly int _distributionPort = FreePort.Next();
    private readonly int _epmdPort = FreePort.Next();
    private string _postgresData = "";
    private string _redisConfiguration = "";
    private int _epmdPid;

    private FaultSystem(string root, string password)
    {
        _root = root;
        _password = password;
        foreach (var service in ServiceNames)
        {
            _servicePorts[service] = FreePort.Next();
        }
    }

    public string Root => _root;

    private string PostgresFolder => Path.Combine(_root, "postgres");

    private string RedisFolder => Path.Combine(_root, "redis");

    private string MessagingFolder => Path.Combine(_root, "messaging");

    public string DatabaseConnectionString(string database) =>
        $"{PostgresServer.ConnectionString(_postgresPort, _password)};Database={database}";

    public Uri ServiceAddress(string service) => new($"http://127.0.0.1:{_servicePorts[service]}");

    /// <summary>Starts every server, then every service, and waits until each service's /health says Healthy.</summary>
    public static async Task<FaultSystem> StartAsync(string root, Action<string> log)
    {
        // Readable by the postgres user (the server drops root), as the AppHost fixture makes its state folder.
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The fault suite sends POSIX signals.");
        }

        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var password = new StateDirectory(root).GetOrCreateSecret("password", 22);
        var system = new FaultSystem(root, password);
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await DebianPackages.EnsureInstalledAsync([PostgresServer.Package, RedisServer.Package, RabbitMQServer.Package], log, timeout.Token);
            system._postgresData = await PostgresServer.InitializeAsync(system.PostgresFolder, password, log, timeout.Token);
            system._redisConfiguration = await RedisServer.WriteConfigurationAsync(system.RedisFolder, password, persistent: true, timeout.Token);
            await RabbitMQServer.PrepareAsync(system.MessagingFolder, password, timeout.Token);
            system._epmdPid = ServerProcess.Start(RabbitMQServer.EpmdCommand(system._epmdPort), Path.Combine(system.MessagingFolder, "epmd.log"), root);
            await WaitUntilAsync(token => RabbitMQServer.CheckEpmdHealthAsync(system._epmdPort, token), "epmd", timeout.Token);
            await Task.WhenAll(system.StartServerAsync(FaultServer.Postgres), system.StartServerAsync(FaultServer.Redis), system.StartServerAsync(FaultServer.Messaging));
            foreach (var database in SentryFlowResources.Databases)
            {
                await PostgresServer.EnsureDatabaseAsync(PostgresServer.ConnectionString(system._postgresPort, password), database, timeout.Token);
            }

            // Identity first: the others fetch its signing keys, and ingest takes a token from it.
            system.StartService(SentryFlowResources.Identity);
            await system.WaitForHealthyAsync([SentryFlowResources.Identity], StartTimeout);
            foreach (var service in ServiceNames.Skip(1))
            {
                system.StartService(service);
            }

            await system.WaitForHealthyAsync(ServiceNames, StartTimeout);
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <paramref name="server"/> (again) on its port and data, and waits until it answers its protocol.</summary>
    public async Task StartServerAsync(FaultServer server)
    {
        var command = server switch
        {
            FaultServer.Postgres => PostgresServer.Command(_postgresData, _postgresPort),
            FaultServer.Redis => RedisServer.Command(_redisConfiguration, _redisPort),
            _ => RabbitMQServer.Command(),
        };
        var folder = server switch { FaultServer.Postgres => PostgresFolder, FaultServer.Redis => RedisFolder, _ => MessagingFolder };
        var environment = server == FaultServer.Messaging
            ? RabbitMQServer.Environment(MessagingFolder, _messagingPort, _distributionPort, _epmdPort)
            : null;
        _serverPids[server] = ServerProcess.Start(command, NextLog(folder, "console"), _root, environment);
        Func<CancellationToken, Task<string?>> probe = server switch
        {
            FaultServer.Postgres => token => PostgresServer.CheckHealthAsync(DatabaseConnectionString("postgres"), token),
            FaultServer.Redis => token => RedisServer.CheckHealthAsync(_redisPort, _password, token),
            _ => token => RabbitMQServer.CheckHealthAsync(_messagingPort, token),
        };
        using var timeout = new CancellationTokenSource(StartTimeout);
        await WaitUntilAsync(probe, server.ToString(), timeout.Token);
    }

    /// <summary>kill -9 of the server's whole process group; returns once its processes are gone.</summary>
    public Task KillServerAsync(FaultServer server) => KillGroupAsync(_serverPids[server]);

    /// <summary>SIGSTOP (<paramref name="pause"/>) or SIGCONT to the server's whole process group.</summary>
    public void PauseServer(FaultServer server, bool pause)
    {
        var pid = _serverPids[server];
        ProcessSignals.Send(-pid, pause ? 19 : 18);
        // A signal to a group that is not one is lost without a word: make sure the server really is frozen.
        for (var wait = 0; pause && State(pid) != 'T'; wait++)
        {
            if (wait == 50)
            {
                throw new InvalidOperationException($"{server} (process {pid}) did not stop on SIGSTOP: its state is {State(pid)}");
            }

            Thread.Sleep(20);
        }
    }

    private static char State(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..][0];
    }

    public void StartService(string service)
    {
        var folder = Path.Combine(_root, "services", service);
        Directory.CreateDirectory(folder);
        var binaries = Path.Combine(Repository.Root, "services", Assemblies[service], "bin", Repository.Configuration, "net10.0");
        var assembly = Path.Combine(binaries, $"{Assemblies[service]}.Api.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        _servicePids[service] = ServerProcess.Start(new ServerCommand(dotnet, [assembly]), NextLog(folder, service), _root, ServiceEnvironment(service, binaries));
    }

    /// <summary>kill -9 of the service's process; returns once it is gone.</summary>
    public Task KillServiceAsync(string service) => KillGroupAsync(_servicePids[service]);

    /// <summary>SIGTERM, as an orchestrator stops a service (it finishes what it is doing), killed if it takes over 30 s.</summary>
    public Task StopServiceAsync(string service) =>
        ProcessSignals.StopAsync(_servicePids[service], ProcessSignals.SIGTERM, TimeSpan.FromSeconds(30));

    /// <summary>The AppHost's stop: services by SIGTERM, then PostgreSQL by SIGINT (its fast shutdown), Redis and RabbitMQ by SIGTERM.</summary>
    public async Task StopAllAsync()
    {
        await Task.WhenAll(ServiceNames.Select(StopServiceAsync));
        await Task.WhenAll(
            ProcessSignals.StopAsync(_serverPids[FaultServer.Postgres], ProcessSignals.SIGINT, TimeSpan.FromSeconds(30)),
            ProcessSignals.StopAsync(_serverPids[FaultServer.Redis], ProcessSignals.SIGTERM, TimeSpan.FromSeconds(10)),
            ProcessSignals.StopAsync(_serverPids[FaultServer.Messaging], ProcessSignals.SIGTERM, TimeSpan.FromSeconds(30)));
    }

    /// <summary>Every server, then every service, started again (after <see cref="StopAllAsync"/>).</summary>
    public async Task StartAllAsync()
    {
        await Task.WhenAll(StartServerAsync(FaultServer.Postgres), StartServerAsync(FaultServer.Redis), StartServerAsync(FaultServer.Messaging));
        foreach (var service in ServiceNames)
        {
            StartService(service);
        }
    }

    /// <summary>Waits until each of <paramref name="services"/> answers /health with 200 Healthy.</summary>
    public async Task WaitForHealthyAsync(IReadOnlyList<string> services, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        foreach (var service in services)
        {
            while (await HealthAsync(http, service) != HealthState.Healthy)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{service}'s /health did not say Healthy within {timeout}; its log: {LatestLog(service)}");
                }

                if (!ProcessSignals.IsAlive(_servicePids[service]))
                {
                    throw new InvalidOperationException($"{service} exited; its log: {LatestLog(service)}");
                }

                await Task.Delay(250);
            }
        }
    }

    /// <summary>What one service's /health says now (the client's timeout bounds the wait).</summary>
    public async Task<HealthState> HealthAsync(HttpClient http, string service)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(ServiceAddress(service), "/health"));
            var body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK
                ? body.Contains("Degraded", StringComparison.Ordinal) ? HealthState.Degraded : HealthState.Healthy
                : HealthState.Unhealthy;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return HealthState.NoAnswer;
        }
    }

    /// <summary>Every queue of the broker and its ready messages, by <c>rabbitmqctl list_queues</c>.</summary>
    public async Task<IReadOnlyDictionary<string, long>> QueuesAsync()
    {
        var start = new ProcessStartInfo("/usr/bin/env") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[$"HOME={RabbitMQServer.HomeDirectory(MessagingFolder)}", $"ERL_EPMD_PORT={_epmdPort}",
                     "/usr/lib/rabbitmq/bin/rabbitmqctl", "-q", "-n", RabbitMQServer.NodeName(MessagingFolder), "list_queues", "name", "messages"])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl list_queues failed: {await process.StandardError.ReadToEndAsync(timeout.Token)}");
        }

        return RabbitQueues.Parse(output);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pid in _servicePids.Values)
        {
            ProcessSignals.Send(-pid, 18); // a paused process acts on no other signal
            await ProcessSignals.StopAsync(pid, ProcessSignals.SIGTERM, TimeSpan.FromSeconds(15));
        }

        foreach (var (server, pid) in _serverPids)
        {
            ProcessSignals.Send(-pid, 18);
            await ProcessSignals.StopAsync(pid, server == FaultServer.Postgres ? ProcessSignals.SIGINT : ProcessSignals.SIGTERM, TimeSpan.FromSeconds(30));
        }

        if (_epmdPid != 0)
        {
            await ProcessSignals.StopAsync(_epmdPid, ProcessSignals.SIGTERM, TimeSpan.FromSeconds(5));
        }
    }

    private Dictionary<string, string> ServiceEnvironment(string service, string contentRoot)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = ServiceAddress(service).ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Development", // what the AppHost gives its services
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_CONTENTROOT"] = contentRoot,
            ["OTEL_SERVICE_NAME"] = service,
            ["Logging__LogLevel__Default"] = "Warning",
            [$"ConnectionStrings__{SentryFlowResources.Messaging}"] = RabbitMQServer.ConnectionString(_messagingPort, _password),
        };
        if (service != SentryFlowResources.Identity)
        {
            environment[$"services__{SentryFlowResources.Identity}__http__0"] = ServiceAddress(SentryFlowResources.Identity).ToString().TrimEnd('/');
        }

        if (service != SentryFlowResources.Identity && service != SentryFlowResources.Ingest)
        {
            environment[$"ConnectionStrings__{SentryFlowResources.Redis}"] = RedisServer.ConnectionString(_redisPort, _password);
        }

        switch (service)
        {
            case SentryFlowResources.Identity:
                environment[$"ConnectionStrings__{SentryFlowResources.IdentityDb}"] = DatabaseConnectionString(SentryFlowResources.IdentityDb);
                environment[$"Identity__ServiceClients__{SentryFlowResources.Ingest}"] = _ingestClientSecret;
                break;
            case SentryFlowResources.Keys:
                environment[$"ConnectionStrings__{SentryFlowResources.KeysDb}"] = DatabaseConnectionString(SentryFlowResources.KeysDb);
                break;
            case SentryFlowResources.RateLimit:
                environment[$"ConnectionStrings__{SentryFlowResources.RateLimitDb}"] = DatabaseConnectionString(SentryFlowResources.RateLimitDb);
                break;
            case SentryFlowResources.Analytics:
                environment[$"ConnectionStrings__{SentryFlowResources.AnalyticsDb}"] = DatabaseConnectionString(SentryFlowResources.AnalyticsDb);
                break;
            case SentryFlowResources.Ingest:
                environment[$"ConnectionStrings__{SentryFlowResources.Redis}"] = RedisServer.ConnectionString(_redisPort, _password);
                environment[$"services__{SentryFlowResources.Keys}__http__0"] = ServiceAddress(SentryFlowResources.Keys).ToString().TrimEnd('/');
                environment[$"services__{SentryFlowResources.RateLimit}__http__0"] = ServiceAddress(SentryFlowResources.RateLimit).ToString().TrimEnd('/');
                environment["ServiceClient__Id"] = SentryFlowResources.Ingest;
                environment["ServiceClient__Secret"] = _ingestClientSecret;
                break;
        }

        return environment;
    }

    private static async Task KillGroupAsync(int pid)
    {
        ProcessSignals.Send(-pid, ProcessSignals.SIGKILL);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ProcessSignals.IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    // Each start of a process gets a log of its own (console-1.log, console-2.log...), so a restart keeps the last one's end.
    private static string NextLog(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        for (var i = 1; ; i++)
        {
            var path = Path.Combine(folder, $"{name}-{i}.log");
            if (!File.Exists(path))
            {
                File.WriteAllText(path, "");
                return path;
            }
        }
    }

    private string LatestLog(string service)
    {
        var folder = Path.Combine(_root, "services", service);
        var latest = Directory.GetFiles(folder, "*.log").OrderBy(File.GetLastWriteTimeUtc).LastOrDefault();
        return latest is null ? "(none)" : $"{latest}:\n{string.Join('\n', File.ReadLines(latest).TakeLast(30))}";
    }

    private static async Task WaitUntilAsync(Func<CancellationToken, Task<string?>> probe, string what, CancellationToken cancellationToken)
    {
        while (await probe(cancellationToken) is { } problem)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{what} did not come up: {problem}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }
}
