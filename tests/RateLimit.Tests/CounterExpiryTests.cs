using SentryFlow.RateLimit.Decisions;
using SentryFlow.RateLimit.Policies;
using StackExchange.Redis;

namespace SentryFlow.RateLimit.Tests;

/// <summary>
/// Counters do not outlive what they count (Redis's memory stays bounded by the active identifiers): every key a
/// script writes has an expiry, set on the window's first charge and still there after later charges in it.
/// </summary>
public sealed class CounterExpiryTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private readonly RedisRateLimiter _limiter = new(fixture.Redis);

    [Theory]
    [InlineData(RateLimitAlgorithm.FixedWindow, 1)] // until the window's end
    [InlineData(RateLimitAlgorithm.SlidingWindow, 2)] // until the next window's end (it still weighs this one)
    [InlineData(RateLimitAlgorithm.SlidingLog, 1)]
    [InlineData(RateLimitAlgorithm.TokenBucket, 1)]
    [InlineData(RateLimitAlgorithm.Gcra, 1)]
    public async Task Every_counter_expires_within_its_windows_and_a_second_charge_keeps_the_expiry(RateLimitAlgorithm algorithm, int windows)
    {
        const int WindowSeconds = 600;
        var prefix = RedisRateLimiter.KeyPrefix(Guid.NewGuid());
        EffectiveLimit[] limits = [new("main", 100, WindowSeconds, 100)];
        var key = (RedisKey)$"{prefix}main:id";

        for (var charge = 1; charge <= 3; charge++)
        {
            Assert.True((await _limiter.EvaluateAsync(algorithm, prefix, "id", limits, 1)).Allowed);
            var ttl = await fixture.Redis.GetDatabase().KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } left && left > TimeSpan.Zero && left <= TimeSpan.FromSeconds(windows * WindowSeconds + 2),
                $"{algorithm}: after charge {charge} the counter's time to live is {ttl?.ToString() ?? "none"}");
        }
    }
}
