using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Contracts.Authorization;
using SentryFlow.RateLimit.Decisions;
using SentryFlow.Testing;
using Xunit.Abstractions;

namespace SentryFlow.RateLimit.Tests;

/// <summary>
/// The latency tests run alone: they measure the service's answers, not the other test classes' load on 2 cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisDownCollection
{
    public const string Name = "Redis down";
}

/// <summary>
/// Redis taken away mid-test: the service talks to Redis through a <see cref="CuttableTcpProxy"/> (the shared test
/// Redis keeps running for everyone else), with the production timeout of 50 ms.
/// </summary>
[Collection(RedisDownCollection.Name)]
public sealed class RedisDownTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(50);

    private readonly RateLimitFactory _factory = new();
    private CuttableTcpProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_factory).InitializeAsync();
        _proxy = CuttableTcpProxy.InFrontOfRedis(_factory);
        _factory.Settings["RateLimit:RedisTimeout"] = "00:00:00.050"; // production's budget, not the other tests' 500 ms
        // Shorter than production's 5 s only so that the test does not wait long for the half-open trial after Redis is back.
        _factory.Settings["RateLimit:BreakDuration"] = "00:00:01";
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    [Fact]
    public async Task Redis_down_fail_open_allows_fail_closed_denies_within_50_ms_then_exact_again()
    {
        var project = _factory.ProjectId;
        using var admin = _factory.ClientFor(OrganizationRole.Admin);
        await admin.CreatePolicyAsync(project, PolicyClient.Policy("open", "fixedWindow", 5, 3600, failureMode: "open"));
        await admin.CreatePolicyAsync(project, PolicyClient.Policy("closed", "slidingLog", 5, 3600, failureMode: "closed"));
        using var member = _factory.ClientFor(OrganizationRole.Member);
        var metrics = _factory.Services.GetRequiredService<RateLimitMetrics>();
        Assert.True(_proxy.OpenConnections > 0, "the service should reach Redis through the proxy");

        // Redis up: exact.
        Assert.Equal(Enumerable.Repeat("200 redis", 5).Concat(Enumerable.Repeat("429 redis", 2)), await AnswersAsync(member, "open", "before", 7));
        Assert.Equal(Enumerable.Repeat("200 redis", 5).Concat(Enumerable.Repeat("429 redis", 2)), await AnswersAsync(member, "closed", "before", 7));

        _proxy.Cut();

        // Until the breaker opens, every decision still fails fast (the connection is gone) and follows the failure mode.
        var deadline = Stopwatch.StartNew();
        var n = 0;
        while (!metrics.BreakerOpen)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the breaker did not open within 10 s of Redis going away");
            var (open, _) = await TimedAsync(member, "open", $"opening-{n}");
            Assert.Contains(open, new[] { "200 localFallback", "200 redis" }); // redis: a reply that was already on its way
            var (closed, _) = await TimedAsync(member, "closed", $"opening-{n++}");
            Assert.Contains(closed, new[] { "503 failedClosed", "200 redis" });
        }

        // Once: the first answers on the breaker's path pay for JIT compilation (Debug build), not for Redis.
        for (var i = 0; i < 3; i++)
        {
            await TimedAsync(member, "open", $"warm-{i}");
            await TimedAsync(member, "closed", $"warm-{i}");
        }

        // Breaker open: every answer, measured around the whole in-process HTTP call, within the 50 ms budget.
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < 20; i++)
        {
            var (open, openTook) = await TimedAsync(member, "open", $"down-{i}");
            Assert.Equal("200 localFallback", open);
            var (closed, closedTook) = await TimedAsync(member, "closed", $"down-{i}");
            Assert.Equal("503 failedClosed", closed);
            slowest = TimeSpan.FromTicks(Math.Max(slowest.Ticks, Math.Max(openTook.Ticks, closedTook.Ticks)));
        }

        output.WriteLine($"breaker open after {n} decisions; slowest answer then: {slowest.TotalMilliseconds:F2} ms");
        Assert.True(slowest <= Budget, $"the slowest answer with the breaker open took {slowest.TotalMilliseconds:F1} ms");

        // Fail-open still limits, locally (per instance): 5 for one key, then 429 from the fallback, never 503.
        Assert.Equal(Enumerable.Repeat("200 localFallback", 5).Concat(Enumerable.Repeat("429 localFallback", 2)), await AnswersAsync(member, "open", "local", 7));
        var (_, rejectedBody, rejected) = await member.CheckAsync(new { projectId = project, policy = "open", keyId = "local" });
        using (rejected)
        {
            Assert.True(rejected.Headers.Contains("Retry-After"));
            Assert.Equal("localFallback", rejectedBody.GetProperty("source").GetString());
        }

        // A fail-closed denial is a 503 with no Retry-After (it is not a rejection by a limit).
        var (_, _, unavailable) = await member.CheckAsync(new { projectId = project, policy = "closed", keyId = "x" });
        using (unavailable)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
            Assert.False(unavailable.Headers.Contains("Retry-After"));
        }

        // A batch goes to Redis as one unit, but each item follows its own policy's failure mode; the batch is answered 200.
        using (var batch = await member.PostAsJsonAsync("/v1/ratelimit/check-batch", new
        {
            projectId = project,
            items = new[] { new { policy = "open", keyId = "batch" }, new { policy = "closed", keyId = "batch" }, new { policy = "open", keyId = "batch-2" } },
        }))
        {
            Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
            var results = JsonDocument.Parse(await batch.Content.ReadAsStringAsync()).RootElement.GetProperty("results").EnumerateArray()
                .Select(r => $"{r.GetProperty("allowed").GetBoolean()} {r.GetProperty("source").GetString()}");
            Assert.Equal(["True localFallback", "False failedClosed", "True localFallback"], results);
        }

        _proxy.Restore();

        // Back: once the connection is re-established and the breaker's trial succeeds, Redis decides again.
        deadline.Restart();
        while ((await AnswersAsync(member, "closed", $"probe-{n++}", 1))[0] != "200 redis")
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "Redis did not decide again within 30 s of coming back");
            await Task.Delay(100);
        }

        output.WriteLine($"Redis decided again {deadline.Elapsed.TotalSeconds:F1} s after it came back");

        // Exact again, from the counters Redis kept through the outage: "before" used all 5 of its units already.
        Assert.Equal(Enumerable.Repeat("429 redis", 2), await AnswersAsync(member, "open", "before", 2));
        Assert.Equal(Enumerable.Repeat("429 redis", 2), await AnswersAsync(member, "closed", "before", 2));
        Assert.Equal(Enumerable.Repeat("200 redis", 5).Concat(Enumerable.Repeat("429 redis", 2)), await AnswersAsync(member, "open", "after", 7));
        Assert.Equal(Enumerable.Repeat("200 redis", 5).Concat(Enumerable.Repeat("429 redis", 2)), await AnswersAsync(member, "closed", "after", 7));
        Assert.False(metrics.BreakerOpen);
    }

    private async Task<List<string>> AnswersAsync(HttpClient client, string policy, string keyId, int count)
    {
        var answers = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            answers.Add((await TimedAsync(client, policy, keyId)).Answer);
        }

        return answers;
    }

    /// <summary>One check: "status source" and how long the whole call took.</summary>
    private async Task<(string Answer, TimeSpan Took)> TimedAsync(HttpClient client, string policy, string keyId)
    {
        var start = Stopwatch.GetTimestamp();
        var (status, body, response) = await client.CheckAsync(new { projectId = _factory.ProjectId, policy, keyId });
        var took = Stopwatch.GetElapsedTime(start);
        response.Dispose();
        var source = body.ValueKind == JsonValueKind.Object ? body.GetProperty("source").GetString() : "(no body)";
        return ($"{(int)status} {source}", took);
    }
}
