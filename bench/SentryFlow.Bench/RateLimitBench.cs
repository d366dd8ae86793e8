extern alias ratelimit;

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Hosting.LocalServers;
using SentryFlow.Testing;
using StackExchange.Redis;
using Xunit;
using DecisionConnection = ratelimit::SentryFlow.RateLimit.Decisions.DecisionConnection;
using EffectiveLimit = ratelimit::SentryFlow.RateLimit.Decisions.EffectiveLimit;
using RateLimitAlgorithm = ratelimit::SentryFlow.RateLimit.Policies.RateLimitAlgorithm;
using RateLimitProgram = ratelimit::Program;
using RedisRateLimiter = ratelimit::SentryFlow.RateLimit.Decisions.RedisRateLimiter;

namespace SentryFlow.Bench;

/// <summary>
/// The rate-limit service over HTTP on loopback (Kestrel, Release build, Production environment): <c>check</c> at
/// saturation (wrk); <c>check</c> offered at a constant 7,500 requests/s, half the 15,000 goal, with latency counted
/// from when each request was due (<see cref="ConstantRateLoad"/>), and a bare Kestrel app at that same rate for the
/// machine's own floor; <c>check-batch</c> (100 decisions per request, wrk);
/// Redis commands sent per decision (counted on the service's decision connection); and from one StackExchange.Redis
/// client in this process the service's own Lua script against a plain <c>INCR</c>+<c>EXPIRE</c> fixed window.
/// Several rounds (5, or <c>BENCH_ROUNDS</c>), since other work shares the machine: every round is printed, then the
/// best and the median.
/// </summary>
/// <remarks>
/// The load generator runs on the same two cores as the service and Redis. Its CPU time is printed next to each
/// figure (wrk's, and this process's, which is the service plus a few idle background threads) rather than
/// subtracted: the throughput is what the machine does with everything on it.
/// </remarks>
public static class RateLimitBench
{
    private static readonly int Rounds = int.TryParse(Environment.GetEnvironmentVariable("BENCH_ROUNDS"), out var rounds) ? rounds : 5;
    private const int BatchSize = 100;
    private const int Identifiers = 1000;
    private static readonly TimeSpan RunTime = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Half of the 15,000 requests/s <c>check</c> must reach: the load its p99 is judged at (<c>BENCH_RATE</c> offers
    /// another, to draw latency against load).
    /// </summary>
    private static readonly int HalfLoad = int.TryParse(Environment.GetEnvironmentVariable("BENCH_RATE"), out var rate) ? rate : 7_500;

    public static async Task RunAsync()
    {
        if (!await ServiceRuntime.EnsureAsync("ratelimit"))
        {
            return;
        }

        await DebianPackages.EnsureInstalledAsync([new DebianPackage("wrk", "/usr/bin/wrk")], Console.WriteLine, CancellationToken.None);
        await using var service = new ServiceFactory<RateLimitProgram> { EnvironmentName = Environments.Production };
        service.Settings["Logging:LogLevel:Default"] = "Warning";
        await ((IAsyncLifetime)service).InitializeAsync();
        var port = FreePort.Next();
        service.UseKestrel(port);
        service.StartServer();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");

        var project = Guid.NewGuid();
        var token = TestTokens.ForProjects(OrganizationRole.Admin, project);
        using (var admin = new HttpClient { BaseAddress = baseAddress })
        {
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await admin.PostAsJsonAsync($"/api/projects/{project}/ratelimit/policies", new
            {
                name = "bench",
                algorithm = "slidingWindow",
                partitionBy = new[] { "keyId" },
                limits = new[] { new { name = "main", limit = 100_000_000, windowSeconds = 60 } },
            })).EnsureSuccessStatusCode();
        }

        var directory = Directory.CreateTempSubdirectory("sentryflow-bench-");
        var checkBody = $$"""'{"projectId":"{{project}}","policy":"bench","keyId":"k' .. math.random({{Identifiers}}) .. '"}'""";
        var checkScript = await WriteScriptAsync(directory, "check.lua", token, "/v1/ratelimit/check", checkBody);
        var checkBodies = Enumerable.Range(1, Identifiers).Select(i => $$"""{"projectId":"{{project}}","policy":"bench","keyId":"k{{i}}"}""").ToArray();
        await using var ceiling = await KestrelCeiling.StartAsync(service.ConnectionString("redis"));
        var bareScript = await WriteScriptAsync(directory, "bare.lua", token, "/bare", checkBody);
        var redisScript = await WriteScriptAsync(directory, "redis.lua", token, "/redis", checkBody);
        var batchScript = await WriteScriptAsync(directory, "batch.lua", token, "/v1/ratelimit/check-batch", $$"""
            (function()
              local items = {}
              for i = 1, {{BatchSize}} do items[i] = '{"policy":"bench","keyId":"k' .. math.random({{Identifiers}}) .. '"}' end
              return '{"projectId":"{{project}}","items":[' .. table.concat(items, ",") .. ']}'
            end)()
            """);

        var decisionConnection = service.Services.GetRequiredService<DecisionConnection>().Connection;
        var clientOptions = ConfigurationOptions.Parse(service.ConnectionString("redis"));
        clientOptions.AllowAdmin = true; // INFO commandstats
        await using var client = await ConnectionMultiplexer.ConnectAsync(clientOptions);
        var server = client.GetServers()[0];
        var db = client.GetDatabase();
        var limiter = new RedisRateLimiter(client);
        EffectiveLimit[] benchLimit = [new("main", 100_000_000, 60, 100_000_000)];
        var window = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60;
        var next = 0;
        Task LuaDecision() => limiter.EvaluateAsync(RateLimitAlgorithm.SlidingWindow, "rl:{bench-client}:", $"k{Interlocked.Increment(ref next) % Identifiers}", benchLimit, 1);
        async Task IncrExpireDecision()
        {
            // The common hand-written limiter: INCR, and EXPIRE when the window's counter is new (two round trips then).
            var counter = $"bench:incr:{Interlocked.Increment(ref next) % Identifiers}:{window}";
            if (await db.StringIncrementAsync(counter) == 1)
            {
                await db.KeyExpireAsync(counter, TimeSpan.FromSeconds(60));
            }
        }

        // Warm-up: JIT, tiering, connection pools, the policy cache.
        await Wrk.RunAsync(checkScript, baseAddress, 1, 32, TimeSpan.FromSeconds(5));
        await Wrk.RunAsync(batchScript, baseAddress, 1, 8, TimeSpan.FromSeconds(3));
        await Wrk.RunAsync(redisScript, ceiling.BaseAddress, 1, 32, TimeSpan.FromSeconds(3));
        await Wrk.RunAsync(bareScript, ceiling.BaseAddress, 1, 32, TimeSpan.FromSeconds(3));
        await ClientLoadAsync(TimeSpan.FromSeconds(1), LuaDecision);
        await ClientLoadAsync(TimeSpan.FromSeconds(1), IncrExpireDecision);

        Console.WriteLine($"{Environment.ProcessorCount} cores, shared by the service (this process, Kestrel on 127.0.0.1), wrk and Redis; {Rounds} rounds of {RunTime.TotalSeconds:F0} s runs");
        Console.WriteLine("cpu: cores used by the service process / by wrk during the run");
        var rounds = new List<Round>();
        for (var r = 1; r <= Rounds; r++)
        {
            var scriptsBefore = await ScriptCallsAsync(server);
            var (check, checkCpu, checkCommands) = await MeasureAsync(checkScript, baseAddress, 1, 32, decisionConnection);
            var checkScripts = (await ScriptCallsAsync(server)).Calls - scriptsBefore.Calls;
            var (half, halfGc) = await MeasureAtRateAsync(baseAddress, "/v1/ratelimit/check", token, checkBodies);
            // The same rate offered to the bare app: the latency this machine gives any Kestrel app, with and without a Redis call.
            var (bareAtRate, bareGc) = await MeasureAtRateAsync(ceiling.BaseAddress, "/bare", token, checkBodies);
            var (redisAtRate, redisGc) = await MeasureAtRateAsync(ceiling.BaseAddress, "/redis", token, checkBodies);
            scriptsBefore = await ScriptCallsAsync(server);
            var (batch, batchCpu, batchCommands) = await MeasureAsync(batchScript, baseAddress, 1, 8, decisionConnection);
            var scriptsAfter = await ScriptCallsAsync(server);
            var batchScripts = scriptsAfter.Calls - scriptsBefore.Calls;
            var scriptMicros = (scriptsAfter.Micros - scriptsBefore.Micros) / (double)batchScripts;
            var (bare, bareCpu, _) = await MeasureAsync(bareScript, ceiling.BaseAddress, 1, 32, decisionConnection);
            var (redisOnly, redisOnlyCpu, _) = await MeasureAsync(redisScript, ceiling.BaseAddress, 1, 32, decisionConnection);
            var lua = await ClientLoadAsync(RunTime, LuaDecision);
            var incr = await ClientLoadAsync(RunTime, IncrExpireDecision);
            var round = new Round(check.PerSecond, check.P99Ms, half.PerSecond, half.P50Ms, half.P99Ms, half.P999Ms, batch.PerSecond * BatchSize, batch.P99Ms,
                checkCommands / (double)check.Requests, batchCommands / ((double)batch.Requests * BatchSize), lua, incr,
                bare.PerSecond, redisOnly.PerSecond, checkCpu / check.PerSecond * 1e6, redisOnlyCpu / redisOnly.PerSecond * 1e6,
                bareAtRate.P99Ms, redisAtRate.P99Ms);
            rounds.Add(round);
            Console.WriteLine($"round {r}:");
            Console.WriteLine($"  check, 32 connections:             {check.PerSecond,8:F0} requests/s  p50 {check.P50Ms:F2} ms  p99 {check.P99Ms:F2} ms  max {check.MaxMs:F1} ms  cpu {checkCpu:F2}/{check.CpuShare * Environment.ProcessorCount:F2}{Errors(check)}");
            Console.WriteLine($"  check at a constant {HalfLoad}/s:     {AtRate(half)}  driver cpu {half.CpuSeconds / half.Seconds:F2}; service {halfGc}");
            Console.WriteLine($"  bare app at a constant {HalfLoad}/s:  {AtRate(bareAtRate)}; process {bareGc}");
            Console.WriteLine($"  bare app + EVALSHA at {HalfLoad}/s:   {AtRate(redisAtRate)}; process {redisGc}");
            Console.WriteLine($"  check-batch ({BatchSize}/request), 8 conn.:  {batch.PerSecond * BatchSize,8:F0} decisions/s ({batch.PerSecond:F0} requests/s)  p50 {batch.P50Ms:F2} ms  p99 {batch.P99Ms:F2} ms per batch  cpu {batchCpu:F2}/{batch.CpuShare * Environment.ProcessorCount:F2}{Errors(batch)}");
            Console.WriteLine($"  bare Kestrel app, fixed answer:    {bare.PerSecond,8:F0} requests/s  p99 {bare.P99Ms:F2} ms  cpu {bareCpu:F2}/{bare.CpuShare * Environment.ProcessorCount:F2}{Errors(bare)}");
            Console.WriteLine($"  bare Kestrel app + one EVALSHA:    {redisOnly.PerSecond,8:F0} requests/s  p99 {redisOnly.P99Ms:F2} ms  cpu {redisOnlyCpu:F2}/{redisOnly.CpuShare * Environment.ProcessorCount:F2}{Errors(redisOnly)}");
            Console.WriteLine($"  process CPU per request:           check {round.CheckCpuMicros:F0} µs, bare app + EVALSHA {round.CeilingCpuMicros:F0} µs");
            Console.WriteLine($"  Redis commands per decision:       check {round.CheckRoundTrips:F3}, check-batch {round.BatchRoundTrips:F3} (sent on the decision connection); " +
                $"EVALSHA+EVAL run by Redis per decision: check {checkScripts / (double)check.Requests:F3}, check-batch {batchScripts / ((double)batch.Requests * BatchSize):F3} (server-wide: other clients' scripts count too)");
            Console.WriteLine($"  one client, 64 concurrent:         service's Lua script {lua,8:F0} decisions/s, INCR+EXPIRE {incr,8:F0} decisions/s; Redis's own time per script during check-batch: {scriptMicros:F1} µs");
        }

        Console.WriteLine($"--- best / median of {Rounds} rounds ---");
        // While Redis is slow to answer (a starved machine), the breaker opens and the local fallback decides: those
        // decisions are fast but not Redis's. "decided by Redis" counts only the decisions Redis ran a script for.
        Report("check requests/s (= decisions/s)", rounds.Select(r => r.Check), higherIsBetter: true);
        Report("check decisions/s decided by Redis", rounds.Select(r => r.Check * Math.Min(1, r.CheckRoundTrips)), higherIsBetter: true);
        Report("check p99 ms at saturation", rounds.Select(r => r.CheckP99), higherIsBetter: false);
        Report("bare Kestrel app requests/s (ceiling)", rounds.Select(r => r.Bare), higherIsBetter: true);
        Report("bare Kestrel app + EVALSHA requests/s", rounds.Select(r => r.CeilingRedis), higherIsBetter: true);
        Report("ratio check / bare app + EVALSHA", rounds.Select(r => r.Check / r.CeilingRedis), higherIsBetter: true);
        Report("process CPU µs per check", rounds.Select(r => r.CheckCpuMicros), higherIsBetter: false);
        Report("process CPU µs per bare app + EVALSHA", rounds.Select(r => r.CeilingCpuMicros), higherIsBetter: false);
        Report($"check requests/s offered {HalfLoad}/s", rounds.Select(r => r.Half), higherIsBetter: true);
        Report($"check p50 ms at {HalfLoad}/s", rounds.Select(r => r.HalfP50), higherIsBetter: false);
        Report($"check p99 ms at {HalfLoad}/s", rounds.Select(r => r.HalfP99), higherIsBetter: false);
        Report($"check p99.9 ms at {HalfLoad}/s", rounds.Select(r => r.HalfP999), higherIsBetter: false);
        Report($"bare app p99 ms at {HalfLoad}/s", rounds.Select(r => r.BareP99AtRate), higherIsBetter: false);
        Report($"bare app + EVALSHA p99 ms at {HalfLoad}/s", rounds.Select(r => r.RedisP99AtRate), higherIsBetter: false);
        Report("check-batch decisions/s", rounds.Select(r => r.Batch), higherIsBetter: true);
        Report("check-batch decisions/s decided by Redis", rounds.Select(r => r.Batch * Math.Min(1, r.BatchRoundTrips)), higherIsBetter: true);
        Report("check-batch p99 ms per batch", rounds.Select(r => r.BatchP99), higherIsBetter: false);
        // Above 1 by the requests still in flight when wrk stops (it does not count them); below 1 when the fallback decided.
        Range("Redis commands per decision, check", rounds.Select(r => r.CheckRoundTrips));
        Range("Redis commands per decision, batch", rounds.Select(r => r.BatchRoundTrips));
        Report("plain INCR+EXPIRE decisions/s (client)", rounds.Select(r => r.IncrExpire), higherIsBetter: true);
        Report("service's Lua script decisions/s (client)", rounds.Select(r => r.Lua), higherIsBetter: true);
        Report("ratio check-batch / INCR+EXPIRE", rounds.Select(r => r.Batch / r.IncrExpire), higherIsBetter: true);
        Report("ratio check / INCR+EXPIRE", rounds.Select(r => r.Check / r.IncrExpire), higherIsBetter: true);
        Report("ratio Lua script / INCR+EXPIRE (client)", rounds.Select(r => r.Lua / r.IncrExpire), higherIsBetter: true);
        directory.Delete(recursive: true);
    }

    private static string AtRate(ConstantRateLoad.Result result) =>
        $"{result.PerSecond,8:F0} requests/s  p50 {result.P50Ms:F2} ms  p99 {result.P99Ms:F2} ms  p99.9 {result.P999Ms:F2} ms  max {result.MaxMs:F1} ms " +
        $"(from the time due; p99 from the time sent {result.SentP99Ms:F2} ms)" +
        (result.BadStatus + result.Errors == 0 ? "" : $"  ({result.BadStatus} bad answers, {result.Errors} errors)");

    private static string Errors(Wrk.Result result) =>
        result.BadStatus + result.SocketErrors == 0 ? "" : $"  ({result.BadStatus} bad answers, {result.SocketErrors} socket errors)";

    private static void Range(string label, IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        Console.WriteLine($"{label,-44} min  {sorted[0],9:F3}   max    {sorted[^1],9:F3}");
    }

    private static void Report(string label, IEnumerable<double> values, bool higherIsBetter)
    {
        var sorted = values.Order().ToArray();
        var best = higherIsBetter ? sorted[^1] : sorted[0];
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        var format = best >= 100 ? "F0" : "F3";
        Console.WriteLine($"{label,-44} best {best.ToString(format, System.Globalization.CultureInfo.InvariantCulture),9}   median {median.ToString(format, System.Globalization.CultureInfo.InvariantCulture),9}");
    }

    /// <summary>EVALSHA and EVAL calls Redis has run and the µs it spent in them (its INFO commandstats), whoever sent them.</summary>
    private static async Task<(long Calls, long Micros)> ScriptCallsAsync(IServer server)
    {
        var info = await server.InfoAsync("commandstats");
        var stats = info.SelectMany(group => group).Where(pair => pair.Key is "cmdstat_evalsha" or "cmdstat_eval")
            .Select(pair => pair.Value.Split(',').Select(field => field.Split('=')).ToDictionary(f => f[0], f => f[1]))
            .ToList();
        return (stats.Sum(s => long.Parse(s["calls"], System.Globalization.CultureInfo.InvariantCulture)),
            stats.Sum(s => long.Parse(s["usec"], System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>One wrk run; this process's CPU (cores) meanwhile and the commands the decision connection sent.</summary>
    private static async Task<(Wrk.Result Result, double ServiceCores, long Commands)> MeasureAsync(
        string script, Uri baseAddress, int threads, int connections, IConnectionMultiplexer decisions)
    {
        var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var commandsBefore = decisions.OperationCount;
        var result = await Wrk.RunAsync(script, baseAddress, threads, connections, RunTime);
        var commands = decisions.OperationCount - commandsBefore;
        self.Refresh();
        return (result, (self.TotalProcessorTime - cpuBefore).TotalSeconds / result.Seconds, commands);
    }

    /// <summary>
    /// <paramref name="path"/> offered at a constant <see cref="HalfLoad"/> requests/s (<see cref="ConstantRateLoad"/>),
    /// and what this process (the service) spent meanwhile: CPU and allocations per request, garbage collections.
    /// </summary>
    private static async Task<(ConstantRateLoad.Result Result, string Gc)> MeasureAtRateAsync(Uri baseAddress, string path, string token, IReadOnlyList<string> bodies)
    {
        var collections = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        var paused = GC.GetTotalPauseDuration();
        // Precise: the cheap count misses what the threads' allocation contexts hold, and read 0 in one round.
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var result = await ConstantRateLoad.RunAsync(baseAddress, path, token, bodies, HalfLoad, 32, RunTime);
        var made = Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collections[g]).ToArray();
        // The driver's warm-up second is in these too.
        var requests = HalfLoad * (RunTime.TotalSeconds + 1);
        self.Refresh();
        return (result, $"CPU {(self.TotalProcessorTime - cpu).TotalMilliseconds * 1000 / requests:F0} µs per request, {made[0]}/{made[1]}/{made[2]} (gen 0/1/2), paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F1} ms, " +
            $"{(GC.GetTotalAllocatedBytes(precise: true) - allocated) / requests / 1024:F1} KiB allocated per request");
    }

    private static async Task<string> WriteScriptAsync(DirectoryInfo directory, string name, string token, string path, string bodyExpression)
    {
        var script = Path.Combine(directory.FullName, name);
        await File.WriteAllTextAsync(script, $$"""
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "Bearer {{token}}"
            request = function()
              return wrk.format(nil, "{{path}}", nil, {{bodyExpression}})
            end
            """ + Wrk.DoneCallback);
        return script;
    }

    /// <summary>Decisions per second one StackExchange.Redis client reaches with 64 in flight.</summary>
    private static async Task<double> ClientLoadAsync(TimeSpan duration, Func<Task> decision)
    {
        long done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                await decision();
                Interlocked.Increment(ref done);
            }
        })));
        return done / clock.Elapsed.TotalSeconds;
    }

    private sealed record Round(
        double Check, double CheckP99, double Half, double HalfP50, double HalfP99, double HalfP999, double Batch, double BatchP99,
        double CheckRoundTrips, double BatchRoundTrips, double Lua, double IncrExpire,
        double Bare, double CeilingRedis, double CheckCpuMicros, double CeilingCpuMicros, double BareP99AtRate, double RedisP99AtRate);
}
