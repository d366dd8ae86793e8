using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using SentryFlow.Contracts;

namespace SentryFlow.Bench.Faults;

/// <summary>
/// <c>dotnet run -c Release --project bench/SentryFlow.Bench -- faults [name[=seconds]]... [--rate=N]</c>: issue 19's
/// fault suite. Starts the system as separate processes (<see cref="FaultSystem"/>), signs up, makes a project and an
/// ingest key, runs the steady load (<see cref="FaultLoad"/>) with verify and /health watched beside it
/// (<see cref="SideLoops"/>), and injects each fault in turn: a steady stretch, the fault for its duration, the repair,
/// every service healthy again, another steady stretch; then the fault's records are followed until every batch is
/// settled and every accepted record stored (or stored no more), and accounted against PostgreSQL. Prints a table row
/// per fault (a first row with no fault is the baseline); the exit code is 1 when any accepted record was lost or any
/// record stored twice.
/// </summary>
public static class FaultSuite
{
    private const string Password = "Faults-Suite-2026";
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HealthyTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(11);
    private static readonly TimeSpan StoreStall = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        FaultPlan plan;
        try
        {
            plan = FaultArguments.Parse(arguments);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        var root = Path.Combine(Path.GetTempPath(), $"sentryflow-faults-{Guid.NewGuid():n}");
        Log($"starting the system in {root}: {string.Join(", ", plan.Faults.Select(f => $"{f.Name} {f.Duration.TotalSeconds:0} s"))}, {plan.RecordsPerSecond} records/s");
        await using var system = await FaultSystem.StartAsync(root, Log);
        var (projectId, key) = await ProvisionAsync(system);
        Log($"project {projectId} and its ingest key ready");

        using var stop = new CancellationTokenSource();
        var load = new FaultLoad(system.ServiceAddress(SentryFlowResources.Ingest), key, plan.RecordsPerSecond);
        var side = new SideLoops(system, key);
        var tracker = new RecordTracker("steady");
        load.Tracker = tracker;
        var loading = load.RunAsync(stop.Token);
        var watching = side.RunAsync(stop.Token);
        var results = new List<FaultResult>();
        try
        {
            var phaseStart = DateTimeOffset.UtcNow;
            foreach (var fault in (FaultStep[])[new FaultStep("none (steady load)", TimeSpan.Zero), .. plan.Faults])
            {
                var result = await RunFaultAsync(system, load, side, tracker, phaseStart, fault, projectId);
                results.Add(result);
                Console.WriteLine(FaultTable.Render([result]));
                phaseStart = DateTimeOffset.UtcNow;
                tracker = load.Tracker;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await watching;
            await loading;
        }

        Console.WriteLine();
        Console.WriteLine($"Fault suite, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}, {plan.RecordsPerSecond} records/s in batches of {FaultLoad.BatchSize}:");
        Console.WriteLine();
        Console.WriteLine(FaultTable.Render(results));
        var findings = FaultTable.Findings(results);
        Console.WriteLine(findings.Count == 0 ? "Nothing to report: every accepted record stored once, verify always within 50 ms, no error queue, every /health back to Healthy." : "Findings:");
        foreach (var finding in findings)
        {
            Console.WriteLine($"- {finding}");
        }

        var held = results.All(r => r.Held);
        Console.WriteLine(held ? $"(logs were in {root}, now removed)" : $"logs kept in {root}");
        await system.DisposeAsync();
        if (held)
        {
            TryDelete(root);
        }

        return held ? 0 : 1;
    }

    private static async Task<FaultResult> RunFaultAsync(
        FaultSystem system, FaultLoad load, SideLoops side, RecordTracker tracker, DateTimeOffset phaseStart, FaultStep fault, Guid projectId)
    {
        await Task.Delay(Steady);
        var injected = DateTimeOffset.UtcNow;
        var repaired = injected;
        double? secondsToHealthy = 0;
        IReadOnlySet<string> killed = new HashSet<string>();
        if (fault.Duration > TimeSpan.Zero)
        {
            Log($"{fault.Name}: injecting for {fault.Duration.TotalSeconds:0} s");
            killed = await InjectAsync(system, fault.Name);
            await Task.Delay(fault.Duration);
            await RepairAsync(system, fault.Name);
            repaired = DateTimeOffset.UtcNow;
            Log($"{fault.Name}: repaired; waiting for every service to be healthy");
            secondsToHealthy = await SecondsToHealthyAsync(system);
            Log($"{fault.Name}: {(secondsToHealthy is { } s ? $"every service healthy {s:0.0} s after the repair" : "not every service healthy")}");
            await Task.Delay(Steady);
        }

        load.Tracker = new RecordTracker(NextPrefix(fault));
        var settled = await SettleAsync(tracker);
        var stored = await DrainAsync(system, tracker, projectId);
        long? errorMessages;
        try
        {
            errorMessages = (await system.QueuesAsync()).Where(q => RabbitQueues.IsErrorQueue(q.Key)).Sum(q => q.Value);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            Log($"{fault.Name}: could not list the queues: {e.Message}");
            errorMessages = null;
        }

        var end = DateTimeOffset.UtcNow;
        Log($"{fault.Name}: accounted ({(settled ? "every batch settled" : "batches still unsettled")})");
        return new FaultResult(
            fault,
            tracker.Account(stored),
            HealthTimeline.Read(side.HealthSamples, injected, repaired, end, killed),
            secondsToHealthy,
            VerifyLatency.Of(side.VerifyCalls(phaseStart, end)),
            errorMessages);
    }

    // The fault's own name would do but for the baseline's; ids are "<fault>-<n>" and end up in PostgreSQL's ClientId.
    private static int _phase;

    private static string NextPrefix(FaultStep fault) => $"p{Interlocked.Increment(ref _phase)}";

    /// <summary>Injects the fault; returns the services whose process it stops (their /health cannot answer: not a hang).</summary>
    private static async Task<IReadOnlySet<string>> InjectAsync(FaultSystem system, string fault)
    {
        switch (fault)
        {
            case FaultNames.RabbitMQKill: await system.KillServerAsync(FaultServer.Messaging); break;
            case FaultNames.RabbitMQPause: system.PauseServer(FaultServer.Messaging, pause: true); break;
            case FaultNames.PostgresKill: await system.KillServerAsync(FaultServer.Postgres); break;
            case FaultNames.PostgresPause: system.PauseServer(FaultServer.Postgres, pause: true); break;
            case FaultNames.RedisKill: await system.KillServerAsync(FaultServer.Redis); break;
            case FaultNames.RedisPause: system.PauseServer(FaultServer.Redis, pause: true); break;
            case FaultNames.AnalyticsKill:
                await system.KillServiceAsync(SentryFlowResources.Analytics);
                return new HashSet<string> { SentryFlowResources.Analytics };
            case FaultNames.IngestKill:
                await system.KillServiceAsync(SentryFlowResources.Ingest);
                return new HashSet<string> { SentryFlowResources.Ingest };
            case FaultNames.SystemRestart:
                await system.StopAllAsync();
                return FaultSystem.ServiceNames.ToHashSet();
        }

        return new HashSet<string>();
    }

    private static async Task RepairAsync(FaultSystem system, string fault)
    {
        switch (fault)
        {
            case FaultNames.RabbitMQKill: await system.StartServerAsync(FaultServer.Messaging); break;
            case FaultNames.RabbitMQPause: system.PauseServer(FaultServer.Messaging, pause: false); break;
            case FaultNames.PostgresKill: await system.StartServerAsync(FaultServer.Postgres); break;
            case FaultNames.PostgresPause: system.PauseServer(FaultServer.Postgres, pause: false); break;
            case FaultNames.RedisKill: await system.StartServerAsync(FaultServer.Redis); break;
            case FaultNames.RedisPause: system.PauseServer(FaultServer.Redis, pause: false); break;
            case FaultNames.AnalyticsKill: system.StartService(SentryFlowResources.Analytics); break;
            case FaultNames.IngestKill: system.StartService(SentryFlowResources.Ingest); break;
            case FaultNames.SystemRestart: await system.StartAllAsync(); break;
        }
    }

    private static async Task<double?> SecondsToHealthyAsync(FaultSystem system)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await system.WaitForHealthyAsync(FaultSystem.ServiceNames, HealthyTimeout);
            return clock.Elapsed.TotalSeconds;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Log(e.Message);
            return null;
        }
    }

    /// <summary>Waits until the client has settled every batch of <paramref name="tracker"/> (accepted, or given up after 10 minutes).</summary>
    private static async Task<bool> SettleAsync(RecordTracker tracker)
    {
        var deadline = DateTime.UtcNow + SettleTimeout;
        while (tracker.Unsettled > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        return tracker.Unsettled == 0;
    }

    /// <summary>
    /// Waits until PostgreSQL holds every record the tracker had accepted, or holds no more for 90 s (no manual replay:
    /// whatever a service has yet to do, it does by itself); returns how many times it holds each of the tracker's ids.
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, int>> DrainAsync(FaultSystem system, RecordTracker tracker, Guid projectId)
    {
        var accepted = tracker.AcceptedIds();
        var lastProgress = Stopwatch.StartNew();
        var best = -1;
        while (true)
        {
            var stored = await StoredAsync(system, tracker, projectId);
            var held = accepted.Count(stored.ContainsKey);
            if (held > best)
            {
                best = held;
                lastProgress.Restart();
            }

            if (held == accepted.Count || lastProgress.Elapsed > StoreStall)
            {
                // A moment more: a duplicate of a record already held would be stored after it.
                await Task.Delay(TimeSpan.FromSeconds(3));
                return await StoredAsync(system, tracker, projectId);
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    private static async Task<IReadOnlyDictionary<string, int>> StoredAsync(FaultSystem system, RecordTracker tracker, Guid projectId)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(system.DatabaseConnectionString(SentryFlowResources.AnalyticsDb) + ";Pooling=false;Timeout=5;Command Timeout=60");
                await connection.OpenAsync();
                await using var query = new NpgsqlCommand(
                    """SELECT "ClientId", count(*)::int FROM analytics."RequestRecords" WHERE "ProjectId" = $1 AND "ClientId" LIKE $2 GROUP BY "ClientId" """,
                    connection);
                query.Parameters.Add(new NpgsqlParameter { Value = projectId });
                query.Parameters.Add(new NpgsqlParameter { Value = tracker.Prefix + "%" });
                var stored = new Dictionary<string, int>(StringComparer.Ordinal);
                await using var reader = await query.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    stored[reader.GetString(0)] = reader.GetInt32(1);
                }

                return stored;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && attempt < 30)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }

    /// <summary>Signs up, makes an organization and a project, and an API key allowed to post to ingest.</summary>
    private static async Task<(Guid ProjectId, string Key)> ProvisionAsync(FaultSystem system)
    {
        using var identity = new HttpClient { BaseAddress = system.ServiceAddress(SentryFlowResources.Identity), Timeout = TimeSpan.FromSeconds(60) };
        var email = $"faults-{Guid.NewGuid():n}@example.test";
        (await identity.PostAsJsonAsync("/api/account/register", new { email, password = Password, displayName = "Fault suite" })).EnsureSuccessStatusCode();
        identity.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await SignInAsync(identity, email));
        var organizationId = await CreatedIdAsync(identity, "/api/organizations", new { name = "Fault suite" });
        var projectId = await CreatedIdAsync(identity, $"/api/organizations/{organizationId}/projects", new { name = "Orders API" });
        using var keys = new HttpClient { BaseAddress = system.ServiceAddress(SentryFlowResources.Keys), Timeout = TimeSpan.FromSeconds(60) };
        // The token taken before the project existed has no role in it.
        keys.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await SignInAsync(identity, email));
        using var created = await keys.PostAsJsonAsync($"/api/projects/{projectId}/keys", new { name = "fault-suite", permissions = new[] { "ingest:write" } });
        var body = await created.Content.ReadAsStringAsync();
        if (created.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"creating the ingest key answered {(int)created.StatusCode}: {body}");
        }

        return (projectId, JsonDocument.Parse(body).RootElement.GetProperty("secret").GetString()!);
    }

    private static async Task<string> SignInAsync(HttpClient identity, string email)
    {
        using var response = await identity.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = email, ["password"] = Password, ["scope"] = "offline_access api",
        }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    private static async Task<Guid> CreatedIdAsync(HttpClient client, string url, object body)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST {url} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    private static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static void Log(string message) => Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} {message}");

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.WriteLine($"could not remove {folder}: {e.Message}");
        }
    }
}
