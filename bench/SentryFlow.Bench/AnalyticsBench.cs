extern alias analytics;

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SentryFlow.Contracts;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;
using Xunit;
using AnalyticsProgram = analytics::Program;
using RecordWriter = analytics::SentryFlow.Analytics.Storage.RecordWriter;
using RollupFolder = analytics::SentryFlow.Analytics.Rollups.RollupFolder;

namespace SentryFlow.Bench;

/// <summary>
/// Loads synthetic traffic (several projects, Zipf-distributed routes and consumers, log-normal latencies per route,
/// a few percent errors) over the last 7 days through the service's own writer (binary COPY, dedupe, minute roll-ups),
/// measures the storage rate through the real bus consumer on a sample, folds the hourly and daily roll-ups, then
/// measures the latency of summary, time series and search over 24 h and 7 d (the first run, then the p50 of
/// <c>SENTRYFLOW_BENCH_QUERY_RUNS</c>, default 15, 0 for none), and the raw table's size per million records. The record count is
/// <c>SENTRYFLOW_BENCH_RECORDS</c> (default 10,000,000); the bench database is dropped at the end, unless
/// <c>SENTRYFLOW_BENCH_KEEP_DB=&lt;name&gt;</c> names one to keep: then the servers are the bench's own (their data
/// outlives them) and a later run with the same name and count skips the load and measures on what is there.
/// <c>SENTRYFLOW_BENCH_CONSUMER_RECORDS</c> sizes the consumer sample (0: none).
/// </summary>
public static class AnalyticsBench
{
    private const int Projects = 5;
    private const int WriteBatch = 5000;

    private static readonly string[] Routes = [.. Enumerable.Range(0, 40).Select(i => i switch
    {
        0 => "/v1/orders/{id}", 1 => "/v1/orders", 2 => "/v1/users/{id}", 3 => "/v1/search", 4 => "/v1/invoices/{id}",
        _ => $"/v1/resource{i}/{{id}}",
    })];

    private static readonly string[] Agents =
    [
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0", "okhttp/4.12.0", "python-requests/2.31.0",
        "curl/8.5.0", "Go-http-client/2.0", "axios/1.6.2",
    ];

    private static readonly string[] Failures =
    [
        "upstream connect error or disconnect/reset before headers", "payment gateway timeout", "database deadlock detected",
        "circuit breaker open for inventory service", "certificate verify failed",
    ];

    public static async Task RunAsync()
    {
        // The consumer takes every record: the service runs with the hot-path settings, so the bench does too.
        if (!await ServiceRuntime.EnsureAsync("analytics"))
        {
            return;
        }

        var total = long.Parse(Environment.GetEnvironmentVariable("SENTRYFLOW_BENCH_RECORDS") ?? "10000000", CultureInfo.InvariantCulture);
        var queryRuns = int.Parse(Environment.GetEnvironmentVariable("SENTRYFLOW_BENCH_QUERY_RUNS") ?? "15", CultureInfo.InvariantCulture);
        var keptDatabase = Environment.GetEnvironmentVariable("SENTRYFLOW_BENCH_KEEP_DB");
        if (keptDatabase is not null)
        {
            // Servers of the bench's own, whose data outlives them: the shared test servers start clean.
            Environment.SetEnvironmentVariable("SENTRYFLOW_TEST_STATE",
                Environment.GetEnvironmentVariable("SENTRYFLOW_TEST_STATE") ?? Path.Combine(Path.GetTempPath(), "sentryflow-bench"));
            Environment.SetEnvironmentVariable("SENTRYFLOW_TEST_KEEP_STATE", "1");
        }

        await using var service = keptDatabase is null ? new ServiceFactory<AnalyticsProgram>() : new ServiceFactory<AnalyticsProgram> { DatabaseName = keptDatabase };
        service.Settings["Logging:LogLevel:Default"] = "Warning";
        await ((IAsyncLifetime)service).InitializeAsync();
        _ = service.Server;
        var load = await BenchLoad.FindAsync(service.Servers.PostgresDatabase(service.DatabaseName), total);
        if (load is null)
        {
            load = await LoadAsync(service.Services.GetRequiredService<RecordWriter>(), total);
            await load.SaveAsync(service.Servers.PostgresDatabase(service.DatabaseName));
        }
        else
        {
            Console.WriteLine($"reusing {load.Records:N0} records loaded before into {service.DatabaseName} (up to {load.End:O})");
        }

        var (projects, end) = (load.Projects, load.End);
        var consumerSample = long.Parse(
            Environment.GetEnvironmentVariable("SENTRYFLOW_BENCH_CONSUMER_RECORDS") ?? Math.Clamp(total / 20, 100_000, 500_000).ToString(CultureInfo.InvariantCulture),
            CultureInfo.InvariantCulture);
        if (consumerSample > 0)
        {
            await StorageRateThroughConsumerAsync(service, consumerSample);
        }

        var clock = Stopwatch.StartNew();
        // The fold job runs every minute in the service; here all of it at once, timed.
        var folded = await service.Services.GetRequiredService<RollupFolder>().FoldAsync(CancellationToken.None);
        Console.WriteLine($"fold: {folded:N0} hours and days folded in {clock.Elapsed.TotalSeconds:F1} s");

        // No command timeout: counting tens of millions of rows from a cold cache takes longer than the default 30 s.
        await using (var connection = new NpgsqlConnection(service.Servers.PostgresDatabase(service.DatabaseName) + ";Command Timeout=0"))
        {
            await connection.OpenAsync();
            await using (var analyze = new NpgsqlCommand("""ANALYZE analytics."RequestRecords"; ANALYZE analytics."MinuteRollups"; ANALYZE analytics."HourRollups"; ANALYZE analytics."DayRollups"; ANALYZE analytics."ConsumerHours";""", connection))
            {
                await analyze.ExecuteNonQueryAsync();
            }

            await using var size = new NpgsqlCommand("""
                SELECT sum(pg_total_relation_size(c.oid))::bigint, sum(pg_relation_size(c.oid))::bigint,
                       (SELECT count(*) FROM analytics."RequestRecords"), pg_total_relation_size('analytics."MinuteRollups"'),
                       (SELECT count(*) FROM analytics."MinuteRollups"),
                       (SELECT count(*) FROM analytics."HourRollups"), pg_total_relation_size('analytics."HourRollups"'),
                       (SELECT count(*) FROM analytics."DayRollups"), pg_total_relation_size('analytics."DayRollups"'),
                       (SELECT count(*) FROM analytics."ConsumerHours")
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'analytics."RequestRecords"'::regclass
                """, connection);
            await using var reader = await size.ExecuteReaderAsync();
            await reader.ReadAsync();
            var (withIndexes, heap, rows) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            Console.WriteLine($"raw table: {rows:N0} records, {withIndexes / (rows / 1e6) / 1048576:F0} MiB per million with indexes " +
                $"({heap / (rows / 1e6) / 1048576:F0} MiB heap only)");
            Console.WriteLine($"roll-ups: minutes {reader.GetInt64(4):N0} rows, {reader.GetInt64(3) / 1048576.0:F0} MiB; hours {reader.GetInt64(5):N0} rows, " +
                $"{reader.GetInt64(6) / 1048576.0:F0} MiB; days {reader.GetInt64(7):N0} rows, {reader.GetInt64(8) / 1048576.0:F1} MiB; consumer hours {reader.GetInt64(9):N0} rows");
        }

        // Queries, over HTTP through the service's pipeline, on the busiest project.
        using var http = service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForProjects(OrganizationRole.Viewer, projects));
        var busiest = projects[0];
        string Range(TimeSpan span) => $"from={Uri.EscapeDataString((end - span).ToString("O"))}&to={Uri.EscapeDataString(end.ToString("O"))}";
        async Task Query(string path)
        {
            using var response = await http.GetAsync($"/api/projects/{busiest}/analytics/{path}");
            response.EnsureSuccessStatusCode();
        }

        foreach (var (name, path) in queryRuns == 0 ? [] : new[]
        {
            ("summary 24 h", $"summary?{Range(TimeSpan.FromDays(1))}"),
            ("summary 7 d", $"summary?{Range(TimeSpan.FromDays(7))}"),
            ("time series 24 h at 1h (requests, errorRate, p95)", $"timeseries?{Range(TimeSpan.FromDays(1))}&interval=1h&metrics=requests,errorRate,p95"),
            ("time series 24 h at 5m (minutes only)", $"timeseries?{Range(TimeSpan.FromDays(1))}&interval=5m&metrics=requests,errorRate,p95"),
            ("time series 7 d at 1h (requests, errorRate, p95)", $"timeseries?{Range(TimeSpan.FromDays(7))}&interval=1h&metrics=requests,errorRate,p95"),
            ("time series 7 d at 1d (requests, errorRate, p95)", $"timeseries?{Range(TimeSpan.FromDays(7))}&interval=1d&metrics=requests,errorRate,p95"),
            ("top routes by p95, 24 h", $"routes?{Range(TimeSpan.FromDays(1))}&by=p95"),
            ("top routes by p95, 7 d", $"routes?{Range(TimeSpan.FromDays(7))}&by=p95"),
            ("usage per consumer, 7 d", $"consumers?{Range(TimeSpan.FromDays(7))}"),
            ("search q=gateway (word), 24 h, 50 newest", $"requests?{Range(TimeSpan.FromDays(1))}&q=gateway&limit=50"),
            ("search q=deadlock detec (substring), 7 d, 50 newest", $"requests?{Range(TimeSpan.FromDays(7))}&q={Uri.EscapeDataString("deadlock detec")}&limit=50"),
            ("search q=okhttp status=5xx, 24 h, 50 newest", $"requests?{Range(TimeSpan.FromDays(1))}&q=okhttp&status=5xx&limit=50"),
            ("request log page, 24 h, 50 newest", $"requests?{Range(TimeSpan.FromDays(1))}&limit=50"),
        })
        {
            var first = Stopwatch.StartNew();
            await Query(path);
            Console.WriteLine($"{name,-55} first {first.Elapsed.TotalMilliseconds,7:F1} ms, then {await Measure.RunAsync(queryRuns, 1, _ => Query(path))}");
        }

        if (keptDatabase is null)
        {
            await DropDatabaseAsync(service);
        }
    }

    /// <summary>Bulk load: time slices in order, two writers (the machine has two cores).</summary>
    private static async Task<BenchLoad> LoadAsync(RecordWriter writer, long total)
    {
        var projects = Enumerable.Range(0, Projects).Select(_ => Guid.NewGuid()).ToArray();
        var end = DateTimeOffset.UtcNow.AddMinutes(-1);
        var start = end.AddDays(-7);
        var batches = (int)((total + WriteBatch - 1) / WriteBatch);
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 2).Select(worker => Task.Run(async () =>
        {
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches)
            {
                var random = new Random(b);
                var sliceStart = start + ((end - start) * b / batches);
                var slice = (end - start) / batches;
                var project = projects[Zipf(random, Projects)];
                var records = Enumerable.Range(0, WriteBatch).Select(i => MakeRecord(random, sliceStart + (slice * i / WriteBatch))).ToList();
                await writer.WriteAsync(new RequestRecordsAccepted(Guid.NewGuid(), project, Guid.NewGuid(), DateTimeOffset.UtcNow, records), CancellationToken.None);
                if (b % 200 == 0)
                {
                    Console.WriteLine($"  loaded {(long)b * WriteBatch:N0} records, {(long)b * WriteBatch / clock.Elapsed.TotalSeconds:F0}/s");
                }
            }
        })));
        clock.Stop();
        Console.WriteLine($"bulk load through the writer: {(long)batches * WriteBatch:N0} records in {clock.Elapsed.TotalSeconds:F0} s, " +
            $"{(long)batches * WriteBatch / clock.Elapsed.TotalSeconds:F0} records/s");
        return new BenchLoad(total, projects, end);
    }

    private static async Task DropDatabaseAsync(ServiceFactory<AnalyticsProgram> service)
    {
        var name = service.DatabaseName;
        var servers = service.Servers;
        await service.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(servers.PostgresDatabase("postgres"));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
        Console.WriteLine($"dropped the bench database {name}");
    }

    /// <summary>
    /// Publishes <paramref name="count"/> records (500 a message, as ingest does) and times them into storage: the rate
    /// while publishing and once all is published (the consumer draining the queue), and the CPU per record.
    /// </summary>
    private static async Task StorageRateThroughConsumerAsync(ServiceFactory<AnalyticsProgram> service, long count)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration[$"ConnectionStrings:{SentryFlowResources.Messaging}"] = service.ConnectionString(SentryFlowResources.Messaging);
        builder.AddSentryFlowMessaging();
        using var publisher = builder.Build();
        await publisher.StartAsync();
        var bus = publisher.Services.GetRequiredService<IBus>();
        var now = DateTimeOffset.UtcNow;
        var random = new Random(99);
        List<RequestRecordsAccepted> Messages(Guid project, long records) => [.. Enumerable.Range(0, (int)(records / 500)).Select(m => new RequestRecordsAccepted(
            Guid.NewGuid(), project, Guid.NewGuid(), now,
            [.. Enumerable.Range(0, 500).Select(i => MakeRecord(random, now.AddMinutes(-30).AddMilliseconds((m * 500) + i)))]))];

        await using var connection = new NpgsqlConnection(service.Servers.PostgresDatabase(service.DatabaseName));
        await connection.OpenAsync();
        async Task<long> StoredAsync(Guid project)
        {
            await using var command = new NpgsqlCommand("""SELECT coalesce(sum("Count"), 0)::bigint FROM analytics."ProjectMinutes" WHERE "ProjectId" = $1""", connection);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = project });
            return (long)(await command.ExecuteScalarAsync())!;
        }

        // First a warm-up, not measured: the consumer's code compiled and optimized (tiered JIT), as in a service
        // that has been running for a while.
        var warmUp = Guid.NewGuid();
        foreach (var message in Messages(warmUp, 20_000))
        {
            await bus.Publish(message);
        }

        while (await StoredAsync(warmUp) < 20_000)
        {
            await Task.Delay(50);
        }

        var project = Guid.NewGuid();
        var messages = Messages(project, count);

        // CPU, unlike the rate, says what storing costs even when other work shares the machine. This process holds
        // the service (its consumer) and the publisher (serializing the sample).
        var cpu = new Dictionary<string, int>
        {
            ["PostgreSQL"] = service.Servers.PostgresProcessId,
            ["service and publisher (this process)"] = Environment.ProcessId,
            ["RabbitMQ"] = service.Servers.MessagingProcessId,
        };
        var cpuBefore = cpu.ToDictionary(p => p.Key, p => ProcessTreeCpu.Of(p.Value));
        var clock = Stopwatch.StartNew();
        foreach (var message in messages)
        {
            await bus.Publish(message);
        }

        var published = clock.Elapsed;
        var storedWhenPublished = await StoredAsync(project);
        var cpuWhenPublished = ProcessTreeCpu.Of(Environment.ProcessId);
        var expected = messages.Count * 500L;
        while (await StoredAsync(project) < expected && clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(50);
        }

        clock.Stop();
        Console.WriteLine($"storage through the bus consumer: {expected:N0} records (messages of 500) stored in {clock.Elapsed.TotalSeconds:F1} s " +
            $"(published in {published.TotalSeconds:F1} s): {expected / clock.Elapsed.TotalSeconds:F0} records/s; " +
            $"{expected - storedWhenPublished:N0} left once published, stored at {(expected - storedWhenPublished) / (clock.Elapsed - published).TotalSeconds:F0} records/s");
        foreach (var (name, pid) in cpu)
        {
            Console.WriteLine($"  CPU per 1,000 records stored, {name}: {(ProcessTreeCpu.Of(pid) - cpuBefore[name]).TotalMilliseconds / expected * 1000:F1} ms");
        }

        Console.WriteLine($"  CPU per 1,000 records stored once all was published, the service alone: " +
            $"{(ProcessTreeCpu.Of(Environment.ProcessId) - cpuWhenPublished).TotalMilliseconds / (expected - storedWhenPublished) * 1000:F1} ms");

        await publisher.StopAsync();
    }

    private static RequestRecord MakeRecord(Random random, DateTimeOffset timestamp)
    {
        var routeIndex = Zipf(random, Routes.Length);
        var route = Routes[routeIndex];
        var roll = random.Next(1000);
        var status = roll < 930 ? 200 : roll < 960 ? 404 : roll < 975 ? 429 : roll < 985 ? 400 : roll < 995 ? 500 : 503;
        // Log-normal latency around a per-route median (5 ms to ~200 ms), errors slower.
        var median = 5 * Math.Pow(1.1, routeIndex);
        var duration = median * Math.Exp(0.6 * Gaussian(random)) * (status >= 500 ? 4 : 1);
        var id = random.Next(100_000);
        return new RequestRecord(
            Guid.CreateVersion7(timestamp), null, timestamp, // ids as ingest makes them (version 7: time-ordered)
            random.Next(5) == 0 ? "POST" : "GET", "api.example.com",
            route.Replace("{id}", id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), route, status, Math.Round(duration, 3),
            random.Next(2000), random.Next(100, 20_000), $"customer-{Zipf(random, 50)}", $"10.0.{random.Next(256)}.{random.Next(256)}",
            Agents[Zipf(random, Agents.Length)], null, status >= 500 ? "Upstream" : null, status >= 500 ? Failures[random.Next(Failures.Length)] : null,
            null, null, null, null);
    }

    /// <summary>An index in [0, n) with probability proportional to 1/(i+1).</summary>
    private static int Zipf(Random random, int n)
    {
        var harmonic = 0.0;
        for (var i = 1; i <= n; i++)
        {
            harmonic += 1.0 / i;
        }

        var target = random.NextDouble() * harmonic;
        for (var i = 0; i < n; i++)
        {
            target -= 1.0 / (i + 1);
            if (target <= 0)
            {
                return i;
            }
        }

        return n - 1;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
