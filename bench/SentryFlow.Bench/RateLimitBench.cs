extern alias ratelimit;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Testing;
using StackExchange.Redis;
using Xunit;
using RateLimitProgram = ratelimit::Program;

namespace SentryFlow.Bench;

/// <summary>
/// Decisions per second and latency of <c>check</c> (one decision per HTTP request) and <c>check-batch</c> (100 per
/// request) through the rate-limit service in-process, Redis round trips per decision (from Redis's own command
/// statistics), and, from the same client, the plain <c>INCR</c>+<c>EXPIRE</c> fixed window for comparison.
/// </summary>
public static class RateLimitBench
{
    public static async Task RunAsync()
    {
        await using var service = new ServiceFactory<RateLimitProgram>();
        service.Settings["Logging:LogLevel:Default"] = "Warning";
        await ((IAsyncLifetime)service).InitializeAsync();
        var project = Guid.NewGuid();
        var token = TestTokens.ForProjects(OrganizationRole.Admin, project);
        var client = service.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await client.PostAsJsonAsync($"/api/projects/{project}/ratelimit/policies", new
        {
            name = "bench",
            algorithm = "slidingWindow",
            partitionBy = new[] { "keyId" },
            limits = new[] { new { name = "main", limit = 1_000_000, windowSeconds = 60 } },
        })).EnsureSuccessStatusCode();

        var redisOptions = ConfigurationOptions.Parse(service.ConnectionString("redis"));
        redisOptions.AllowAdmin = true; // INFO commandstats
        var redis = await ConnectionMultiplexer.ConnectAsync(redisOptions);
        var server = redis.GetServers()[0];

        async Task Check(int i)
        {
            using var response = await client.PostAsJsonAsync("/v1/ratelimit/check", new { projectId = project, policy = "bench", keyId = $"k{i % 1000}" });
            response.EnsureSuccessStatusCode();
        }

        const int BatchSize = 100;
        var batchItems = Enumerable.Range(0, BatchSize).Select(i => new { policy = "bench", keyId = $"k{i}" }).ToArray();
        async Task Batch(int _)
        {
            using var response = await client.PostAsJsonAsync("/v1/ratelimit/check-batch", new { projectId = project, items = batchItems });
            response.EnsureSuccessStatusCode();
        }

        var db = redis.GetDatabase();
        async Task IncrExpire(int i)
        {
            var counter = $"bench:incr:{i % 1000}:{DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60}";
            var count = await db.StringIncrementAsync(counter);
            if (count == 1)
            {
                await db.KeyExpireAsync(counter, TimeSpan.FromSeconds(60));
            }
        }

        await Measure.RunAsync(5000, 16, Check); // warm-up
        await Measure.RunAsync(200, 8, Batch);
        await Measure.RunAsync(5000, 16, IncrExpire);

        var before = await ScriptCallsAsync(server);
        var check = await Measure.RunAsync(40_000, 32, Check);
        var afterCheck = await ScriptCallsAsync(server);
        var batch = await Measure.RunAsync(1_000, 8, Batch);
        var afterBatch = await ScriptCallsAsync(server);
        var incr = await Measure.RunAsync(100_000, 32, IncrExpire);
        var halfLoad = await PacedAsync(check.PerSecond / 2, TimeSpan.FromSeconds(5), Check);

        Console.WriteLine($"{Environment.ProcessorCount} cores; service in-process (TestServer, no network), Redis on 127.0.0.1");
        Console.WriteLine($"check (1 decision/request, 32 concurrent):        {check}");
        Console.WriteLine($"check at half that load ({check.PerSecond / 2:F0}/s):            {halfLoad}");
        Console.WriteLine($"check-batch ({BatchSize} decisions/request, 8 concurrent): {batch.PerSecond * BatchSize,9:F0} decisions/s   p50 {batch.P50Ms:F3} ms   p99 {batch.P99Ms:F3} ms per batch");
        Console.WriteLine($"plain INCR+EXPIRE from the same client:            {incr}");
        Console.WriteLine($"Redis round trips per decision: check {(afterCheck - before) / 40_000.0:F2}, check-batch {(afterBatch - afterCheck) / (1_000.0 * BatchSize):F2}");
        Console.WriteLine($"ratio check-batch / INCR+EXPIRE: {batch.PerSecond * BatchSize / incr.PerSecond:F2}; check / INCR+EXPIRE: {check.PerSecond / incr.PerSecond:F2}");
    }

    /// <summary>EVAL and EVALSHA calls Redis has served (its INFO commandstats): one per round trip of a decision.</summary>
    private static async Task<long> ScriptCallsAsync(IServer server)
    {
        var info = await server.InfoAsync("commandstats");
        return info.SelectMany(group => group)
            .Where(pair => pair.Key is "cmdstat_evalsha" or "cmdstat_eval")
            .Sum(pair => long.Parse(pair.Value.Split(',')[0].Split('=')[1]));
    }

    /// <summary>Requests at a fixed rate (an open loop), so latency is measured below saturation.</summary>
    private static async Task<Measure.Summary> PacedAsync(double perSecond, TimeSpan duration, Func<int, Task> operation)
    {
        var total = (int)(perSecond * duration.TotalSeconds);
        var latencies = new double[total];
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var tasks = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            var wait = due - System.Diagnostics.Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.FromMilliseconds(2))
            {
                await Task.Delay(wait); // a coarse timer: requests go out in small bursts, at the right average rate
            }

            var index = i;
            tasks.Add(Task.Run(async () =>
            {
                var begin = System.Diagnostics.Stopwatch.GetTimestamp();
                await operation(index);
                latencies[index] = System.Diagnostics.Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
            }));
        }

        await Task.WhenAll(tasks);
        Array.Sort(latencies);
        return new Measure.Summary(total / System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds, latencies.Average(),
            latencies[total / 2], latencies[(int)(total * 0.95)], latencies[(int)(total * 0.99)]);
    }
}
