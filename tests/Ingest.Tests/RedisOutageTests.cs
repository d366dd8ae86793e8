using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SentryFlow.Contracts;
using SentryFlow.Ingest.Records;
using SentryFlow.Testing;

namespace SentryFlow.Ingest.Tests;

/// <summary>
/// Ingest without Redis: idempotency is a look-up before publishing and a mark after the broker confirmed, both
/// bounded by a short timeout and a circuit breaker, so a frozen or dead Redis neither fails a post nor turns a failed
/// post's retry into a "duplicate" that is never stored. Each test runs a second ingest on the fixture's virtual host
/// (so the fixture's consumer sees what it publishes) against a Redis of its own making.
/// </summary>
public sealed class RedisOutageTests(IngestFixture fixture) : IClassFixture<IngestFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_post_that_failed_while_Redis_was_frozen_is_accepted_and_stored_when_sent_again()
    {
        var project = Guid.NewGuid();
        var key = await fixture.IssueKeyAsync(project, "ingest:write");
        await using var redis = await PrivateRedis.StartAsync();
        var broker = new Uri(fixture.Ingest.ConnectionString(SentryFlowResources.Messaging));
        await using var brokerProxy = new CuttableTcpProxy(broker);
        await using var ingest = ServiceFactory<Program>.SiblingOf(fixture.Ingest);
        ingest.Settings[$"ConnectionStrings:{SentryFlowResources.Redis}"] = redis.ConnectionString;
        ingest.Settings[$"ConnectionStrings:{SentryFlowResources.Messaging}"] = brokerProxy.AmqpUriVia(broker).ToString();
        ingest.Settings["Ingest:Redis:Timeout"] = "00:00:00.100"; // production's
        ingest.Settings["Ingest:Redis:BreakDuration"] = "00:00:01";
        ingest.ConfigureTestServices = fixture.Ingest.ConfigureTestServices;
        using var client = ingest.CreateClient();
        await client.WaitForHealthyAsync();
        await ingest.StartWithBusAsync(); // a post before the bus is connected is refused
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var before = Batch("before", 10);
        Assert.Equal((10, 0), await PostAsync(client, before));

        var accepted = Batch("accepted", 10);
        var alsoAccepted = new List<List<Dictionary<string, object>>>();
        List<Dictionary<string, object>>? refused = null;
        redis.Pause();
        try
        {
            // Redis frozen: the look-up times out, the post is accepted all the same (never a 500).
            var clock = Stopwatch.StartNew();
            Assert.Equal((10, 0), await PostAsync(client, accepted));
            Assert.True(clock.Elapsed < Bound, $"a post with Redis frozen took {clock.Elapsed.TotalMilliseconds:F0} ms");

            // And a post the broker does not take is refused, while Redis holds whatever ingest sent it meanwhile.
            brokerProxy.Cut();
            await WaitAsync(async () =>
            {
                var batch = Batch($"attempt-{alsoAccepted.Count}", 10);
                if (await TryPostAsync(client, batch) == (-1, -1))
                {
                    refused = batch;
                    return true;
                }

                alsoAccepted.Add(batch); // sent before ingest noticed the cut
                return false;
            }, "the broker's cut was not noticed");
        }
        finally
        {
            redis.Resume();
            brokerProxy.Restore();
        }

        // Redis has run what it received meanwhile: the post accepted during the freeze is marked (its mark landed late,
        // and stands for a post that was accepted), the refused one is not.
        await WaitAsync(async () => await TryPostAsync(client, before) == (0, 10), "Redis did not answer ingest again within 30 s");
        await using (var direct = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            var database = direct.GetDatabase();
            Assert.All(Ids(accepted), id => Assert.True(database.KeyExists(IdempotencyWindow.Key(IngestKind.Record, project, id)), id));
            Assert.All(Ids(refused!), id => Assert.False(database.KeyExists(IdempotencyWindow.Key(IngestKind.Record, project, id)), id));
        }

        // So the refused post's retry (sent again while the broker reconnects, as a client would) is accepted, not
        // taken for a duplicate.
        var retried = (Accepted: -1, Duplicates: -1);
        await WaitAsync(async () => (retried = await TryPostAsync(client, refused!)) != (-1, -1), "the broker was not back within 30 s");
        Assert.Equal((10, 0), retried);

        var ids = new[] { before, accepted, refused! }.Concat(alsoAccepted).SelectMany(Ids).ToHashSet();
        await fixture.PublishedRecordsAsync(project, records => ids.IsSubsetOf(records.Select(r => r.ClientId ?? "")));
    }

    [Fact]
    public async Task With_Redis_gone_ingest_keeps_accepting_and_every_record_arrives()
    {
        var project = Guid.NewGuid();
        var key = await fixture.IssueKeyAsync(project, "ingest:write");
        await using var ingest = ServiceFactory<Program>.SiblingOf(fixture.Ingest);
        await using var proxy = CuttableTcpProxy.InFrontOfRedis(ingest);
        ingest.Settings["Ingest:Redis:Timeout"] = "00:00:00.100"; // production's
        ingest.ConfigureTestServices = fixture.Ingest.ConfigureTestServices;
        using var client = ingest.CreateClient();
        await client.WaitForHealthyAsync();
        await ingest.StartWithBusAsync(); // a post before the bus is connected is refused
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        Assert.Equal((10, 0), await PostAsync(client, Batch("up", 10)));
        Assert.True(proxy.OpenConnections > 0, "ingest should reach Redis through the proxy");

        proxy.Cut();
        var batches = Enumerable.Range(0, 10).Select(i => Batch($"down-{i}", 10)).ToList();
        var slowest = TimeSpan.Zero;
        foreach (var batch in batches)
        {
            var clock = Stopwatch.StartNew();
            Assert.Equal((10, 0), await PostAsync(client, batch));
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
        }

        // Without Redis a resent batch is accepted again: analytics stores each record once (its store-time dedupe).
        Assert.Equal((10, 0), await PostAsync(client, batches[0]));
        Assert.True(slowest < Bound, $"the slowest post without Redis took {slowest.TotalMilliseconds:F0} ms");

        var ids = batches.SelectMany(Ids).ToHashSet();
        await fixture.PublishedRecordsAsync(project, records => ids.IsSubsetOf(records.Select(r => r.ClientId ?? "")));
        proxy.Restore();
    }

    private static List<Dictionary<string, object>> Batch(string name, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Dictionary<string, object>
        {
            ["clientId"] = $"{name}-{i}-{Guid.NewGuid():n}", ["timestamp"] = DateTimeOffset.UtcNow, ["method"] = "GET", ["host"] = "h",
            ["path"] = "/", ["status"] = 200, ["durationMs"] = 1,
        })];

    private static IEnumerable<string> Ids(List<Dictionary<string, object>> batch) => batch.Select(r => (string)r["clientId"]);

    /// <summary>The answer's accepted and duplicates counts; asserts a 202.</summary>
    private static async Task<(int Accepted, int Duplicates)> PostAsync(HttpClient client, List<Dictionary<string, object>> batch)
    {
        using var response = await client.PostAsJsonAsync("/v1/requests/batch", batch);
        return await CountsAsync(response);
    }

    /// <summary>The answer's counts, or (-1, -1) for a 503 (asserting that anything else is a 202).</summary>
    private static async Task<(int Accepted, int Duplicates)> TryPostAsync(HttpClient client, List<Dictionary<string, object>> batch)
    {
        using var response = await client.PostAsJsonAsync("/v1/requests/batch", batch);
        return response.StatusCode == HttpStatusCode.ServiceUnavailable ? (-1, -1) : await CountsAsync(response);
    }

    private static async Task<(int Accepted, int Duplicates)> CountsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        var json = JsonDocument.Parse(body).RootElement;
        return (json.GetProperty("accepted").GetInt32(), json.GetProperty("duplicates").GetInt32());
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), failure);
            await Task.Delay(100);
        }
    }
}
