using System.Text.Json;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>Apdex in the summary, usage per consumer, events per type and processing lag, against brute force.</summary>
public sealed class UsageTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private static readonly DateTimeOffset Start = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddHours(-5);

    private static readonly string Range = $"from={AnalyticsClient.Time(Start)}&to={AnalyticsClient.Time(Start.AddMinutes(60))}";

    [Fact]
    public async Task Apdex_and_usage_per_consumer_equal_a_brute_force_computation()
    {
        var (client, records) = await LoadAsync(51);

        var summary = await client.GetJsonAsync($"summary?{Range}");
        var t = summary.GetProperty("apdexThresholdMs").GetDouble();
        Assert.Equal(500, t); // the default
        var exact = (records.Count(r => r.DurationMs <= t) + (records.Count(r => r.DurationMs > t && r.DurationMs <= 4 * t) / 2.0)) / records.Count;
        // Only durations within the histogram's bucket error of T or 4T may be judged on the other side (each by half a request).
        var near = records.Count(r => Math.Abs(r.DurationMs - t) <= t * 0.03 || Math.Abs(r.DurationMs - (4 * t)) <= 4 * t * 0.03);
        Assert.InRange(summary.GetProperty("apdex").GetDouble(), exact - (0.5 * near / records.Count) - 1e-12, exact + (0.5 * near / records.Count) + 1e-12);

        var consumers = (await client.GetJsonAsync($"consumers?{Range}&limit=1000")).GetProperty("consumers").EnumerateArray().ToList();
        var expected = records.GroupBy(r => r.Consumer).OrderByDescending(g => g.Count()).ToList();
        Assert.Equal(expected.Count, consumers.Count);
        foreach (var consumer in consumers)
        {
            var name = consumer.GetProperty("consumer").ValueKind == JsonValueKind.Null ? null : consumer.GetProperty("consumer").GetString();
            var group = expected.Single(g => g.Key == name).ToList();
            Assert.Equal(group.Count, consumer.GetProperty("requests").GetInt64());
            Assert.Equal(group.Count(r => r.Status is >= 400 and < 500), consumer.GetProperty("errors4xx").GetInt64());
            Assert.Equal(group.Count(r => r.Status >= 500), consumer.GetProperty("errors5xx").GetInt64());
            Assert.Equal(group.Sum(r => r.RequestSize ?? 0), consumer.GetProperty("bytesIn").GetInt64());
            Assert.Equal(group.Sum(r => r.ResponseSize ?? 0), consumer.GetProperty("bytesOut").GetInt64());
        }

        Assert.Equal(expected.Select(g => (long)g.Count()), consumers.Select(c => c.GetProperty("requests").GetInt64()));
    }

    [Fact]
    public async Task Events_are_counted_per_type_in_their_project_only()
    {
        _ = factory.Server;
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var client = new AnalyticsClient(factory, Guid.NewGuid());
        string[] types = ["deploy", "deploy", "config.changed", "deploy", "incident"];
        var events = types.Select((type, i) => new IngestedEvent($"e-{i}", type, Start.AddMinutes(i), JsonDocument.Parse("{}").RootElement)).ToList();
        var outside = new IngestedEvent("late", "deploy", Start.AddHours(2), JsonDocument.Parse("{}").RootElement);
        var batch = new EventsAccepted(Guid.NewGuid(), client.ProjectId, Guid.NewGuid(), DateTimeOffset.UtcNow, [.. events, outside]);
        await publisher.PublishAsync(batch);
        await publisher.PublishAsync(batch); // redelivered: counted once

        JsonElement counts = default;
        await Database.WaitUntilAsync(async () =>
        {
            counts = (await client.GetJsonAsync($"events?{Range}")).GetProperty("types");
            return counts.TryGetProperty("incident", out _);
        }, "the events");
        await Task.Delay(500);
        counts = (await client.GetJsonAsync($"events?{Range}")).GetProperty("types");
        Assert.Equal(3, counts.GetProperty("deploy").GetInt64());
        Assert.Equal(1, counts.GetProperty("config.changed").GetInt64());
        Assert.Equal(1, counts.GetProperty("incident").GetInt64());

        var other = new AnalyticsClient(factory, Guid.NewGuid());
        Assert.Empty((await other.GetJsonAsync($"events?{Range}")).GetProperty("types").EnumerateObject());
    }

    [Fact]
    public async Task Processing_lag_covers_every_stored_record()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        var (client, records) = await LoadAsync(52);

        var lagRange = $"from={AnalyticsClient.Time(before)}&to={AnalyticsClient.Time(DateTimeOffset.UtcNow.AddMinutes(1))}";
        var lag = await client.GetJsonAsync($"lag?{lagRange}");

        Assert.Equal(records.Count, lag.GetProperty("records").GetInt64());
        var p50 = lag.GetProperty("p50").GetDouble();
        var p99 = lag.GetProperty("p99").GetDouble();
        Assert.InRange(p50, 0, 120_000);
        Assert.InRange(p99, p50, 120_000);
    }

    private async Task<(AnalyticsClient Client, List<RequestRecord> Records)> LoadAsync(int seed)
    {
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var client = new AnalyticsClient(factory, Guid.NewGuid());
        var records = SyntheticRecords.Make(seed, 2000, Start, 60);
        await publisher.PublishAsync(client.ProjectId, records);
        await Database.WaitUntilAsync(
            async () => (await client.GetJsonAsync($"summary?{Range}")).GetProperty("requests").GetInt64() == records.Count,
            "the records to be stored");
        return (client, records);
    }
}
