using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Analytics.Queries;
using SentryFlow.Analytics.Caching;
using SentryFlow.Analytics.Storage;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;
using StackExchange.Redis;

namespace SentryFlow.Analytics.Tests;

/// <summary>
/// Settled answers kept 10 minutes (so that only the write marks can explain a fresh answer), recent ones 2 s, and
/// Redis given time to answer on the shared machine.
/// </summary>
public sealed class QueryCacheFactory : ServiceFactory<Program>
{
    public static readonly TimeSpan SettledTtl = TimeSpan.FromMinutes(10);

    public static readonly TimeSpan RecentTtl = TimeSpan.FromSeconds(2);

    public QueryCacheFactory()
    {
        Settings["Analytics:Cache:Enabled"] = "true";
        Settings["Analytics:Cache:SettledTtl"] = SettledTtl.ToString();
        Settings["Analytics:Cache:RecentTtl"] = RecentTtl.ToString();
        Settings["Analytics:Cache:RedisTimeout"] = "00:00:05";
    }
}

/// <summary>Summary, routes and time series answers cached in Redis per project and question, expiring by time.</summary>
public sealed class QueryCacheTests(QueryCacheFactory factory) : IClassFixture<QueryCacheFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    private static readonly DateTimeOffset Start = QueryRange.Floor(DateTimeOffset.UtcNow).AddHours(-3);

    private static readonly string Range = $"from={AnalyticsClient.Time(Start)}&to={AnalyticsClient.Time(Start.AddMinutes(30))}";

    [Fact]
    public async Task The_second_identical_query_is_a_hit_with_the_same_answer_and_another_project_never_gets_it()
    {
        var client = new AnalyticsClient(factory, Guid.NewGuid());
        await WriteAsync(client.ProjectId, SyntheticRecords.Make(51, 300, Start, 30));

        foreach (var path in new[] { $"summary?{Range}", $"routes?{Range}&by=p95", $"timeseries?{Range}&interval=5m&metrics=requests,p95" })
        {
            var (first, computed) = await GetAsync(client, path);
            Assert.Equal(CacheLookup.Miss, first);
            var (second, cached) = await GetAsync(client, path);
            Assert.Equal(CacheLookup.Hit, second);
            Assert.Equal(computed, cached);
        }

        // The same question in another order is the same question.
        var reordered = $"routes?by=p95&to={AnalyticsClient.Time(Start.AddMinutes(30))}&from={AnalyticsClient.Time(Start)}";
        Assert.Equal(CacheLookup.Hit, (await GetAsync(client, reordered)).Cache);

        // Another project asking exactly the same gets its own (empty) answer, computed for it.
        var other = new AnalyticsClient(factory, Guid.NewGuid());
        var (otherCache, otherBody) = await GetAsync(other, $"summary?{Range}");
        Assert.Equal(CacheLookup.Miss, otherCache);
        Assert.Equal(0, JsonDocument.Parse(otherBody).RootElement.GetProperty("requests").GetInt64());
        Assert.Equal(300, JsonDocument.Parse((await GetAsync(client, $"summary?{Range}")).Body).RootElement.GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Answers_over_settled_ranges_are_kept_longer_than_answers_reaching_now()
    {
        var client = new AnalyticsClient(factory, Guid.NewGuid());
        await GetAsync(client, $"summary?{Range}");
        var settled = await TtlsAsync(client.ProjectId);
        await GetAsync(client, "summary");
        var both = await TtlsAsync(client.ProjectId);

        var settledKey = Assert.Single(settled).Key;
        Assert.InRange(settled[settledKey], QueryCacheFactory.SettledTtl - TimeSpan.FromMinutes(1), QueryCacheFactory.SettledTtl);
        // The recent answer may already have expired on a slow machine; if it is still there, it is kept briefly.
        Assert.All(both.Where(kv => kv.Key != settledKey), kv => Assert.InRange(kv.Value, TimeSpan.Zero, QueryCacheFactory.RecentTtl));
    }

    [Fact]
    public async Task Records_stored_for_a_cached_range_show_at_once()
    {
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var client = new AnalyticsClient(factory, Guid.NewGuid());
        await WriteAsync(client.ProjectId, SyntheticRecords.Make(52, 100, Start, 30));
        await GetAsync(client, $"summary?{Range}");
        Assert.Equal(CacheLookup.Hit, (await GetAsync(client, $"summary?{Range}")).Cache);

        // Late records for that range, through the consumer: the answer kept for 10 minutes is not served again.
        await publisher.PublishAsync(client.ProjectId, SyntheticRecords.Make(53, 50, Start.AddMinutes(10), 5));
        var deadline = DateTime.UtcNow + Wait;
        while (Requests((await GetAsync(client, $"summary?{Range}")).Body) != 150)
        {
            Assert.True(DateTime.UtcNow < deadline, "the late records were not shown");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task An_answer_is_recomputed_after_its_ttl_and_sees_new_data()
    {
        var client = new AnalyticsClient(factory, Guid.NewGuid());
        var recent = QueryRange.Floor(DateTimeOffset.UtcNow).AddMinutes(-30);
        await WriteAsync(client.ProjectId, SyntheticRecords.Make(54, 40, recent, 10));
        await GetAsync(client, "summary");
        var (cache, body) = await GetAsync(client, "summary");
        Assert.Equal((CacheLookup.Hit, 40), (cache, Requests(body)));

        // Written behind the consumer's back (no write marks): only the TTL can bring them in.
        await WriteAsync(client.ProjectId, SyntheticRecords.Make(55, 10, recent, 10));
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            (cache, body) = await GetAsync(client, "summary");
            if (cache != CacheLookup.Hit)
            {
                break;
            }

            Assert.Equal(40, Requests(body));
            Assert.True(DateTime.UtcNow < deadline, "the cached answer outlived its TTL");
            await Task.Delay(100);
        }

        Assert.Equal((CacheLookup.Miss, 50), (cache, Requests(body)));
    }

    private Task WriteAsync(Guid project, List<RequestRecord> records) =>
        factory.Services.GetRequiredService<RecordWriter>()
            .WriteAsync(new RequestRecordsAccepted(Guid.NewGuid(), project, Guid.NewGuid(), DateTimeOffset.UtcNow, records), CancellationToken.None);

    private async Task<Dictionary<string, TimeSpan>> TtlsAsync(Guid project)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(factory.ConnectionString("redis"));
        var server = redis.GetServer(redis.GetEndPoints().Single());
        var ttls = new Dictionary<string, TimeSpan>();
        await foreach (var key in server.KeysAsync(pattern: QueryCache.AnswerKeyPrefix(project) + "*"))
        {
            ttls[key.ToString()] = await redis.GetDatabase().KeyTimeToLiveAsync(key) ?? TimeSpan.MaxValue;
        }

        return ttls;
    }

    private static long Requests(string summary) => JsonDocument.Parse(summary).RootElement.GetProperty("requests").GetInt64();

    internal static async Task<(string Cache, string Body)> GetAsync(AnalyticsClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return (response.Headers.GetValues(QueryCacheFilter.Header).Single(), body);
    }
}
