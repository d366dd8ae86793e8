using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Analytics.Storage;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>The consumer stores several messages in one transaction: each project's records are counted once, and only under that project.</summary>
public sealed class GroupedWriteTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task Batches_of_several_projects_and_a_redelivery_in_one_group_are_each_stored_once()
    {
        var start = FloorMinute(DateTimeOffset.UtcNow.AddHours(-2));
        var a = new AnalyticsClient(factory, Guid.NewGuid());
        var b = new AnalyticsClient(factory, Guid.NewGuid());
        var recordsA = SyntheticRecords.Make(31, 700, start, 30);
        // Project B's records reuse A's client ids: the dedupe is per project.
        var recordsB = SyntheticRecords.Make(31, 300, start, 30).Select(r => r with { RecordId = Guid.NewGuid() }).ToList();
        var batchA = new RequestRecordsAccepted(Guid.NewGuid(), a.ProjectId, Guid.NewGuid(), DateTimeOffset.UtcNow, recordsA);
        var batchB = new RequestRecordsAccepted(Guid.NewGuid(), b.ProjectId, Guid.NewGuid(), DateTimeOffset.UtcNow, recordsB);
        _ = factory.Server;

        var stored = await factory.Services.GetRequiredService<RecordWriter>().WriteAsync([batchA, batchB, batchA], CancellationToken.None);

        Assert.Equal([recordsA.Count, recordsB.Count, 0], stored);
        var range = $"from={AnalyticsClient.Time(start)}&to={AnalyticsClient.Time(start.AddMinutes(30))}";
        foreach (var (client, records) in new[] { (a, recordsA), (b, recordsB) })
        {
            var summary = await client.GetJsonAsync($"summary?{range}");
            Assert.Equal(records.Count, summary.GetProperty("requests").GetInt64());
            Assert.Equal(records.Count(r => r.Status >= 500), summary.GetProperty("errors5xx").GetInt64());
            BruteForce.WithinTwoPercent(BruteForce.Percentile(records, 0.95), summary.GetProperty("p95").GetDouble(), "p95");
            Assert.Equal(records.Count, await Database.ScalarAsync<long>(factory,
                """SELECT sum("Count")::bigint FROM analytics."LagMinutes" WHERE "ProjectId" = $1""", client.ProjectId));
        }
    }

    private static DateTimeOffset FloorMinute(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
}
