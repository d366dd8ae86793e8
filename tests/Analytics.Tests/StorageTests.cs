using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SentryFlow.Analytics.Storage;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>The raw table's partitions, a consumer that fails mid-batch, and a group holding a batch PostgreSQL refuses.</summary>
public sealed class StorageTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task Partitions_exist_around_today_and_are_made_on_demand_for_older_days()
    {
        _ = factory.Server;
        var today = RecordPartitions.DayOf(DateTimeOffset.UtcNow);
        var expected = Enumerable.Range(-PartitionMaintainer.DaysBehind, PartitionMaintainer.DaysBehind + PartitionMaintainer.DaysAhead + 1)
            .Select(d => $"RequestRecords_{today.AddDays(d):yyyyMMdd}").ToList();
        await WaitUntilAsync(async () => expected.All((await PartitionsAsync()).Contains));

        await using var publisher = await RecordPublisher.StartAsync(factory);
        var client = new AnalyticsClient(factory, Guid.NewGuid());
        var old = DateTimeOffset.UtcNow.Date.AddDays(-20);
        var records = SyntheticRecords.Make(11, 50, new DateTimeOffset(old, TimeSpan.Zero), 10);
        await publisher.PublishAsync(client.ProjectId, records);

        var range = $"from={AnalyticsClient.Time(old)}&to={AnalyticsClient.Time(old.AddMinutes(10))}";
        await WaitUntilAsync(async () => (await client.GetJsonAsync($"summary?{range}")).GetProperty("requests").GetInt64() == records.Count);
        Assert.Contains($"RequestRecords_{old:yyyyMMdd}", await PartitionsAsync());
        Assert.Equal(records.Count, (await client.GetJsonAsync($"requests?{range}&limit=500")).GetProperty("requests").GetArrayLength());
    }

    [Fact]
    public async Task A_batch_that_fails_half_way_is_redelivered_and_stored_once()
    {
        _ = factory.Server;
        await using (var connection = new NpgsqlConnection(factory.Servers.PostgresDatabase(factory.DatabaseName)))
        {
            await connection.OpenAsync();

            // The first two roll-up writes fail, after the batch's records were inserted in the same transaction.
            // A sequence is not rolled back, so the third attempt (MassTransit's retry) gets through.
            await using var command = new NpgsqlCommand("""
                CREATE SEQUENCE analytics.test_failures;
                CREATE FUNCTION analytics.test_fail_twice() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW."Route" = '/flaky' AND nextval('analytics.test_failures') <= 2 THEN
                        RAISE EXCEPTION 'injected failure';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER test_fail_twice BEFORE INSERT ON analytics."MinuteRollups"
                    FOR EACH ROW EXECUTE FUNCTION analytics.test_fail_twice();
                """, connection);
            await command.ExecuteNonQueryAsync();
        }

        await using var publisher = await RecordPublisher.StartAsync(factory);
        var client = new AnalyticsClient(factory, Guid.NewGuid());
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero);
        var records = SyntheticRecords.Make(12, 300, start, 10).Select((r, i) => i == 150 ? r with { Route = "/flaky" } : r).ToList();
        await publisher.PublishAsync(client.ProjectId, records);

        var range = $"from={AnalyticsClient.Time(start)}&to={AnalyticsClient.Time(start.AddMinutes(10))}";
        await WaitUntilAsync(async () => (await client.GetJsonAsync($"summary?{range}")).GetProperty("requests").GetInt64() == records.Count);
        Assert.Equal(records.Count, (await client.GetJsonAsync($"requests?{range}&limit=500")).GetProperty("requests").GetArrayLength());
        await using var check = new NpgsqlConnection(factory.Servers.PostgresDatabase(factory.DatabaseName));
        await check.OpenAsync();
        await using var failures = new NpgsqlCommand("SELECT last_value FROM analytics.test_failures", check);
        Assert.True((long)(await failures.ExecuteScalarAsync())! >= 2, "the injected failures did not happen");
    }

    private async Task<List<string>> PartitionsAsync()
    {
        await using var connection = new NpgsqlConnection(factory.Servers.PostgresDatabase(factory.DatabaseName));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'analytics."RequestRecords"'::regclass
            """, connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), "timed out");
            await Task.Delay(100);
        }
    }

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
