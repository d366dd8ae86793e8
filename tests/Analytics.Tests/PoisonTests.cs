using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Analytics.Storage;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>One tenant's batch that PostgreSQL refuses, stored in a group with other tenants' batches.</summary>
public sealed class PoisonTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task A_group_with_a_batch_postgres_refuses_stores_the_others_and_names_the_bad_one()
    {
        _ = factory.Server;
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero);
        RequestRecordsAccepted Batch(int seed, Func<RequestRecord, RequestRecord>? spoil = null) =>
            new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow,
                [.. SyntheticRecords.Make(seed, 20, start, 5).Select((r, i) => i == 7 && spoil is not null ? spoil(r) : r)]);
        var batches = new[]
        {
            Batch(31),
            Batch(32, r => r with { Host = "api\u0000.example.test" }), // what ingest now refuses; a bus message may still carry it
            Batch(33),
        };

        var outcomes = await factory.Services.GetRequiredService<GroupWriter>().WriteAsync(batches, CancellationToken.None);

        Assert.Equal([20, 0, 20], outcomes.Select(o => o.Stored));
        Assert.Equal([false, true, false], outcomes.Select(o => o.Failure is not null));
        Assert.True(GroupWriter.IsBadData(outcomes[1].Failure!));
        foreach (var (batch, expected) in batches.Zip((long[])[20, 0, 20]))
        {
            Assert.Equal(expected, await Database.ScalarAsync<long>(factory,
                """SELECT count(*) FROM analytics."RequestRecords" WHERE "ProjectId" = $1""", batch.ProjectId));
        }
    }
}
