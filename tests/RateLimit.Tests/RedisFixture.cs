using SentryFlow.RateLimit.Decisions;
using SentryFlow.Testing;
using StackExchange.Redis;

namespace SentryFlow.RateLimit.Tests;

/// <summary>A connection to the test run's real Redis, for tests that drive the Lua scripts directly.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public IConnectionMultiplexer Redis { get; private set; } = null!;

    /// <summary>
    /// A limiter on the scripts' test clock whose scripts are loaded before any test pipelines them: a pipeline that
    /// met NOSCRIPT part-way (another test class loading the same script meanwhile) would be decided out of order.
    /// </summary>
    public RedisRateLimiter TestClockLimiter { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        Redis = await ConnectionMultiplexer.ConnectAsync(servers.RedisConnectionString);
        TestClockLimiter = RedisRateLimiter.WithTestClock(Redis);
        await TestClockLimiter.LoadScriptsAsync();
    }

    public async Task DisposeAsync() => await Redis.DisposeAsync();
}
