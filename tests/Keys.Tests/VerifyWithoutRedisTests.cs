using System.Diagnostics;
using System.Text.Json;
using SentryFlow.Contracts;
using SentryFlow.Testing;
using Xunit.Abstractions;

namespace SentryFlow.Keys.Tests;

/// <summary>
/// Verify without Redis: answered from memory or PostgreSQL within a bound (the tests allow 500 ms; the 50 ms target
/// belongs to a bench), never a 500, with usage and rate limits failing open, and exact again once Redis is back.
/// </summary>
public sealed class VerifyWithoutRedisTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task With_Redis_gone_verify_answers_quickly_from_memory_or_PostgreSQL_and_limits_fail_open()
    {
        await using var factory = new KeysFactory();
        await ((IAsyncLifetime)factory).InitializeAsync();
        await using var proxy = CuttableTcpProxy.InFrontOfRedis(factory);
        // Not production's 20 ms: the charges before the cut and after it must be exact on a loaded test host, and a cut
        // connection fails at once anyway (the frozen test below runs with 20 ms).
        factory.Settings["Keys:Redis:Timeout"] = "00:00:00.250";
        factory.Settings["Keys:Redis:BreakDuration"] = "00:00:01";
        var client = new KeysClient(factory);
        var cached = await SecretAsync(client, new { name = "cached" });
        var uncached = await SecretAsync(client, new { name = "uncached" });
        var metered = await SecretAsync(client, new { name = "metered", remaining = 2 });
        var limited = await SecretAsync(client, new { name = "limited", rateLimits = new[] { new { name = "burst", limit = 1, durationMs = 60_000 } } });
        var disabled = await SecretAsync(client, new { name = "disabled", enabled = false });
        Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(cached))); // now in this instance's memory
        Assert.Equal(1, (await client.VerifyAsync(metered)).GetProperty("remaining").GetInt64());
        Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(limited)));
        Assert.Equal("RATE_LIMITED", KeysClient.Code(await client.VerifyAsync(limited)));
        Assert.True(proxy.OpenConnections > 0, "keys should reach Redis through the proxy");

        proxy.Cut();
        var slowest = TimeSpan.Zero;
        async Task<JsonElement> TimedAsync(string key)
        {
            var clock = Stopwatch.StartNew();
            var verdict = await client.VerifyAsync(key); // asserts a 200
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            return verdict;
        }

        Assert.Equal("VALID", KeysClient.Code(await TimedAsync(cached)));
        Assert.Equal("VALID", KeysClient.Code(await TimedAsync(uncached))); // from PostgreSQL
        Assert.Equal("DISABLED", KeysClient.Code(await TimedAsync(disabled)));
        Assert.Equal("NOT_FOUND", KeysClient.Code(await TimedAsync("sf_live_" + new string('A', 30))));
        for (var i = 0; i < 3; i++)
        {
            // Fail open: not charged, so not exhausted; the remaining count is the last PostgreSQL holds.
            var verdict = await TimedAsync(metered);
            Assert.Equal("VALID", KeysClient.Code(verdict));
            Assert.Equal("VALID", KeysClient.Code(await TimedAsync(limited)));
        }

        output.WriteLine($"slowest verify without Redis: {slowest.TotalMilliseconds:F1} ms");
        Assert.True(slowest < Bound, $"the slowest verify without Redis took {slowest.TotalMilliseconds:F0} ms");

        proxy.Restore();
        // Back: the counts Redis kept through the outage decide again (the metered key has 1 use left, the limited none).
        var deadline = Stopwatch.StartNew();
        while (KeysClient.Code(await client.VerifyAsync(limited)) != "RATE_LIMITED")
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "Redis did not decide again within 30 s of coming back");
            await Task.Delay(100);
        }

        Assert.Equal(0, (await client.VerifyAsync(metered)).GetProperty("remaining").GetInt64());
        Assert.Equal("USAGE_EXCEEDED", KeysClient.Code(await client.VerifyAsync(metered)));
    }

    [Fact]
    public async Task With_Redis_frozen_verify_answers_within_the_bound_and_never_waits_for_it()
    {
        await using var redis = await PrivateRedis.StartAsync();
        await using var factory = new KeysFactory();
        await ((IAsyncLifetime)factory).InitializeAsync();
        factory.Settings[$"ConnectionStrings:{SentryFlowResources.Redis}"] = redis.ConnectionString;
        factory.Settings["Keys:Redis:Timeout"] = "00:00:00.020"; // production's
        var client = new KeysClient(factory);
        var cached = await SecretAsync(client, new { name = "cached" });
        var metered = await SecretAsync(client, new { name = "metered", remaining = 5 });
        var others = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            others.Add(await SecretAsync(client, new { name = $"other-{i}" }));
        }

        Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(cached)));
        Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(metered))); // charged, or not if Redis took over 20 ms

        redis.Pause();
        try
        {
            var slowest = TimeSpan.Zero;
            foreach (var key in (string[])[cached, metered, .. others, metered, cached])
            {
                var clock = Stopwatch.StartNew();
                var verdict = await client.VerifyAsync(key);
                slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
                Assert.Equal("VALID", KeysClient.Code(verdict));
            }

            output.WriteLine($"slowest verify with Redis frozen: {slowest.TotalMilliseconds:F1} ms");
            Assert.True(slowest < Bound, $"the slowest verify with Redis frozen took {slowest.TotalMilliseconds:F0} ms");
        }
        finally
        {
            redis.Resume();
        }
    }

    private static async Task<string> SecretAsync(KeysClient client, object request) =>
        (await client.CreateAsync(request)).GetProperty("secret").GetString()!;
}
