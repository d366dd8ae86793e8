using SentryFlow.Analytics.Signals;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>The per-minute signals alerting reads with SQL: rate-limit rejections, failed key verifications, ingest lag.</summary>
public sealed class SignalTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private const string CountOf =
        """SELECT sum("Count")::bigint FROM analytics."SignalMinutes" WHERE "ProjectId" = $1 AND "Minute" = $2 AND "Signal" = $3""";

    [Fact]
    public async Task Rate_limit_rejections_are_summed_per_minute_and_a_redelivery_adds_nothing()
    {
        _ = factory.Server;
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var project = Guid.NewGuid();
        var minute = new DateTimeOffset(2026, 11, 20, 10, 15, 0, TimeSpan.Zero);
        RateLimitExceeded Exceeded(long rejected, int second) =>
            new(project, Guid.NewGuid(), "api", "burst", "keyId=k", rejected, minute.AddMinutes(-1), minute.AddSeconds(second));

        var first = Guid.NewGuid();
        await publisher.PublishAsync(Exceeded(7, 10), first);
        await publisher.PublishAsync(Exceeded(5, 50), Guid.NewGuid());
        await publisher.PublishAsync(Exceeded(7, 10), first); // redelivered: the same message id
        await publisher.PublishAsync(Exceeded(3, 70), Guid.NewGuid()); // the next minute

        await Database.WaitUntilAsync(
            async () => await Database.ScalarAsync<long>(factory, CountOf, project, minute.AddMinutes(1), SignalNames.RateLimitRejections) == 3,
            "the next minute's rejections");
        await Database.WaitUntilAsync(
            async () => await Database.ScalarAsync<long>(factory, CountOf, project, minute, SignalNames.RateLimitRejections) == 12,
            "12 rejections");
        await Task.Delay(500); // a double count would arrive by now
        Assert.Equal(12, await Database.ScalarAsync<long>(factory, CountOf, project, minute, SignalNames.RateLimitRejections));
    }

    [Fact]
    public async Task Failed_key_verifications_are_counted_per_project_without_the_valid_ones()
    {
        _ = factory.Server;
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var to = new DateTimeOffset(2026, 11, 20, 11, 0, 4, TimeSpan.Zero);
        var verified = new ApiKeysVerified(to.AddSeconds(-5), to,
        [
            new(Guid.NewGuid(), a, "VALID", 100),
            new(Guid.NewGuid(), a, "NOT_FOUND", 4),
            new(Guid.NewGuid(), a, "EXPIRED", 2),
            new(Guid.NewGuid(), b, "RATE_LIMITED", 9),
            new(Guid.NewGuid(), b, "VALID", 1),
        ]);
        var id = Guid.NewGuid();
        await publisher.PublishAsync(verified, id);
        await publisher.PublishAsync(verified, id);
        var minute = new DateTimeOffset(2026, 11, 20, 11, 0, 0, TimeSpan.Zero);

        await Database.WaitUntilAsync(
            async () => await Database.ScalarAsync<long>(factory, CountOf, b, minute, SignalNames.KeyVerificationFailures) == 9,
            "project b's failures");
        await Task.Delay(500);
        Assert.Equal(6, await Database.ScalarAsync<long>(factory, CountOf, a, minute, SignalNames.KeyVerificationFailures));
        Assert.Equal(9, await Database.ScalarAsync<long>(factory, CountOf, b, minute, SignalNames.KeyVerificationFailures));
    }

    [Fact]
    public async Task Stored_records_add_their_processing_lag_to_the_projects_lag_minutes()
    {
        _ = factory.Server;
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var project = Guid.NewGuid();
        var records = SyntheticRecords.Make(21, 600, DateTimeOffset.UtcNow.AddMinutes(-30), 10);
        var batches = await publisher.PublishAsync(project, records);
        const string Lag = """SELECT sum("Count")::bigint FROM analytics."LagMinutes" WHERE "ProjectId" = $1""";
        await Database.WaitUntilAsync(async () => await Database.ScalarAsync<long>(factory, Lag, project) == records.Count, "the lag of every record");

        foreach (var batch in batches)
        {
            await publisher.PublishAsync(batch); // redelivered batches store nothing, so add no lag
        }

        await Task.Delay(1000);
        Assert.Equal(records.Count, await Database.ScalarAsync<long>(factory, Lag, project));
        const string HistogramTotal = """
            SELECT sum(h.c)::bigint FROM analytics."LagMinutes" l CROSS JOIN LATERAL unnest(l."Histogram") AS h(c) WHERE l."ProjectId" = $1
            """;
        Assert.Equal(records.Count, await Database.ScalarAsync<long>(factory, HistogramTotal, project));
    }
}
