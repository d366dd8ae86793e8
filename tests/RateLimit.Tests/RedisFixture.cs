using SentryFlow.Testing;
using StackExchange.Redis;

namespace SentryFlow.RateLimit.Tests;

/// <summary>A connection to the test run's real Redis, for tests that drive the Lua scripts directly.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public IConnectionMultiplexer Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        Redis = await ConnectionMultiplexer.ConnectAsync(servers.Redis.ConnectionString);
    }

    public async Task DisposeAsync() => await Redis.DisposeAsync();
}
