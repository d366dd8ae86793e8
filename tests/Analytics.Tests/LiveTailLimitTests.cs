using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>A service whose tail clients get at most 5 records a second.</summary>
public sealed class SlowTailFactory : ServiceFactory<Program>
{
    public SlowTailFactory() => Settings["Analytics:Live:TailMaxRecordsPerSecond"] = "5";
}

/// <summary>A tail never buffers without bound: what a client cannot be sent is dropped and counted to it.</summary>
public sealed class LiveTailLimitTests(SlowTailFactory factory) : IClassFixture<SlowTailFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Records_over_the_rate_are_dropped_and_the_count_is_sent()
    {
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var project = Guid.NewGuid();
        using var tail = await SseClient.OpenAsync(AnalyticsClient.Authorized(factory, project), $"/api/projects/{project}/analytics/requests/tail");

        var records = SyntheticRecords.Make(41, 100, DateTimeOffset.UtcNow.AddMinutes(-1), 1);
        await publisher.PublishAsync(new RequestRecordsAccepted(Guid.NewGuid(), project, Guid.NewGuid(), DateTimeOffset.UtcNow, records));

        // 100 records arrive at once; at 5 a second most are dropped, and every one is either sent or counted.
        long sent = 0, dropped = 0;
        while (sent + dropped < records.Count)
        {
            var (name, data) = await tail.NextAsync(Wait);
            if (name == "record")
            {
                sent++;
            }
            else if (name == "dropped")
            {
                dropped += data.GetProperty("dropped").GetInt64();
            }
        }

        Assert.Equal(records.Count, sent + dropped);
        Assert.InRange(sent, 5, records.Count / 2);
    }
}
