using System.Net;
using SentryFlow.Analytics.Queries;
using SentryFlow.Analytics.Caching;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>Redis taken away from one analytics instance (through a proxy; the shared Redis keeps running).</summary>
public sealed class QueryCacheRedisDownTests : IAsyncLifetime
{
    private readonly ServiceFactory<Program> _factory = new();
    private CuttableTcpProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_factory).InitializeAsync();
        _proxy = CuttableTcpProxy.InFrontOfRedis(_factory);
        _factory.Settings["Analytics:Cache:Enabled"] = "true";
        _factory.Settings["Analytics:Cache:RedisTimeout"] = "00:00:05"; // the hit before the cut, on a busy machine
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    [Fact]
    public async Task Queries_still_answer_from_PostgreSQL_and_live_streams_say_503()
    {
        var client = new AnalyticsClient(_factory, Guid.NewGuid());
        var start = QueryRange.Floor(DateTimeOffset.UtcNow).AddHours(-2);
        var path = $"summary?from={AnalyticsClient.Time(start)}&to={AnalyticsClient.Time(start.AddMinutes(10))}";
        var (_, computed) = await QueryCacheTests.GetAsync(client, path);
        var (cache, _) = await QueryCacheTests.GetAsync(client, path);
        Assert.Equal(CacheLookup.Hit, cache);

        _proxy.Cut();

        var (down, answer) = await QueryCacheTests.GetAsync(client, path);
        Assert.Equal(CacheLookup.Bypass, down);
        Assert.Equal(computed, answer);
        Assert.Equal(CacheLookup.Bypass, (await QueryCacheTests.GetAsync(client, "routes")).Cache);
        using var live = await client.GetAsync("live");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, live.StatusCode);
    }
}
