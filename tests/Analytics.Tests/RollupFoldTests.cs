using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Analytics.Rollups;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>
/// Hourly and daily roll-ups: after folding, answers over ranges with ragged edges (minutes, hours, a whole day) equal
/// a brute-force computation; folding again changes nothing; a record arriving for a folded hour is counted at once
/// and folded in by the next run.
/// </summary>
public sealed class RollupFoldTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    /// <summary>A whole UTC day two days back (closed, so it folds), with data from 22:17 the day before to 03:43 the day after.</summary>
    private static readonly DateTimeOffset Day = RollupPlan.Floor(DateTimeOffset.UtcNow, TimeSpan.FromDays(1)).AddDays(-2);

    private static readonly DateTimeOffset DataStart = Day.AddHours(-2).AddMinutes(17);

    private const int DataMinutes = ((24 + 5) * 60) + 26;

    [Fact]
    public async Task Answers_over_folded_days_hours_and_ragged_minutes_equal_a_brute_force_computation()
    {
        var (client, records) = await LoadAsync(seed: 21, count: 4000);
        await FoldAsync();
        Assert.Equal(0, await Database.ScalarAsync<long>(factory,
            """SELECT count(*) FROM analytics."HourFolds" WHERE "ProjectId" = $1 AND "Dirty" """, client.ProjectId));
        Assert.Equal(records.Count(r => r.Timestamp >= Day && r.Timestamp < Day.AddDays(1)), await Database.ScalarAsync<long>(factory,
            """SELECT sum("Count")::bigint FROM analytics."DayRollups" WHERE "ProjectId" = $1 AND "Day" = $2""", client.ProjectId, Day));
        Assert.Equal(records.Count(r => r.Timestamp >= Day && r.Timestamp < Day.AddDays(1)), await Database.ScalarAsync<long>(factory,
            """SELECT "Count" FROM analytics."ProjectDays" WHERE "ProjectId" = $1 AND "Day" = $2""", client.ProjectId, Day));

        await AssertBruteForceAsync(client, records);
    }

    [Fact]
    public async Task Folding_again_replaces_rather_than_adds()
    {
        var (client, records) = await LoadAsync(seed: 22, count: 1500);
        await FoldAsync();
        var before = await SnapshotAsync(client.ProjectId);

        // Every period of the project dirty again, as if each had a late record: the refold must give the same rows.
        await Database.ExecuteAsync(factory, """UPDATE analytics."HourFolds" SET "Dirty" = true WHERE "ProjectId" = $1""", client.ProjectId);
        await Database.ExecuteAsync(factory, """UPDATE analytics."DayFolds" SET "Dirty" = true WHERE "ProjectId" = $1""", client.ProjectId);
        await FoldAsync();
        await FoldAsync();

        Assert.NotEmpty(before);
        Assert.Equal(before, await SnapshotAsync(client.ProjectId));
        await AssertBruteForceAsync(client, records);
    }

    [Fact]
    public async Task A_record_for_an_already_folded_hour_is_counted_at_once_and_folded_in_later()
    {
        var (client, records) = await LoadAsync(seed: 23, count: 1500);
        await FoldAsync();

        // Late records: into the middle of the folded day and into a folded hour of the next day.
        var late = SyntheticRecords.Make(24, 40, Day.AddHours(13).AddMinutes(5), 20)
            .Concat(SyntheticRecords.Make(25, 40, Day.AddDays(1).AddHours(1), 50)).ToList();
        await using (var publisher = await RecordPublisher.StartAsync(factory))
        {
            await publisher.PublishAsync(client.ProjectId, late);
        }

        var all = records.Concat(late).ToList();
        await WaitForCountAsync(client, all.Count);
        await AssertBruteForceAsync(client, all);

        await FoldAsync();
        Assert.Equal(0, await Database.ScalarAsync<long>(factory,
            """SELECT count(*) FROM analytics."HourFolds" WHERE "ProjectId" = $1 AND "Dirty" """, client.ProjectId));
        Assert.Equal(all.Count(r => r.Timestamp >= Day && r.Timestamp < Day.AddDays(1)), await Database.ScalarAsync<long>(factory,
            """SELECT sum("Count")::bigint FROM analytics."DayRollups" WHERE "ProjectId" = $1 AND "Day" = $2""", client.ProjectId, Day));
        await AssertBruteForceAsync(client, all);
    }

    [Fact]
    public async Task A_day_folded_while_one_of_its_hours_took_records_is_not_used_until_folded_again()
    {
        var (client, records) = await LoadAsync(seed: 26, count: 1500);
        await FoldAsync();

        // What a day fold racing a writer leaves: the writer's records are in the minutes and their hour is dirty, but
        // the fold claimed the day (clean) before the writer's mark of the hour committed, so the day lacks them.
        var late = SyntheticRecords.Make(27, 40, Day.AddHours(9).AddMinutes(3), 20);
        await using (var publisher = await RecordPublisher.StartAsync(factory))
        {
            await publisher.PublishAsync(client.ProjectId, late);
        }

        var all = records.Concat(late).ToList();
        await WaitForCountAsync(client, all.Count);
        await Database.ExecuteAsync(factory, """UPDATE analytics."DayFolds" SET "Dirty" = false WHERE "ProjectId" = $1""", client.ProjectId);
        await AssertBruteForceAsync(client, all);

        // Folding the hour folds its day again.
        await FoldAsync();
        Assert.Equal(all.Count(r => r.Timestamp >= Day && r.Timestamp < Day.AddDays(1)), await Database.ScalarAsync<long>(factory,
            """SELECT "Count" FROM analytics."ProjectDays" WHERE "ProjectId" = $1 AND "Day" = $2""", client.ProjectId, Day));
        await AssertBruteForceAsync(client, all);
    }

    /// <summary>Summary, top routes, usage per consumer, hourly and daily series and a rule query, each over ranges with ragged edges.</summary>
    private static async Task AssertBruteForceAsync(AnalyticsClient client, List<RequestRecord> records)
    {
        (DateTimeOffset From, DateTimeOffset To)[] ranges =
        [
            (DataStart, DataStart.AddMinutes(DataMinutes)), // minutes, an hour, the day, hours, minutes
            (Day.AddHours(5).AddMinutes(7), Day.AddDays(1).AddHours(1).AddMinutes(13)), // minutes, hours, minutes
            (Day, Day.AddDays(1)), // exactly the day
            (Day.AddHours(3).AddMinutes(1), Day.AddHours(3).AddMinutes(59)), // minutes only
        ];
        foreach (var (from, to) in ranges)
        {
            var inRange = records.Where(r => r.Timestamp >= from && r.Timestamp < to).ToList();
            var range = $"from={AnalyticsClient.Time(from)}&to={AnalyticsClient.Time(to)}";
            var what = $"[{from:O}, {to:O})";

            var summary = await client.GetJsonAsync($"summary?{range}");
            Assert.True(inRange.Count == summary.GetProperty("requests").GetInt64(), $"requests over {what}");
            Assert.Equal(inRange.Count(r => r.Status is >= 400 and < 500), summary.GetProperty("errors4xx").GetInt64());
            Assert.Equal(inRange.Count(r => r.Status >= 500), summary.GetProperty("errors5xx").GetInt64());
            Assert.Equal(inRange.Sum(r => r.RequestSize ?? 0), summary.GetProperty("bytesIn").GetInt64());
            Assert.Equal(inRange.Sum(r => r.ResponseSize ?? 0), summary.GetProperty("bytesOut").GetInt64());
            Assert.Equal(inRange.Where(r => r.Consumer is not null).Select(r => r.Consumer).Distinct().Count(), summary.GetProperty("uniqueConsumers").GetInt64());
            Assert.Equal(inRange.Where(r => r.Route is not null).Select(r => r.Route).Distinct().Count(), summary.GetProperty("uniqueRoutes").GetInt64());
            Assert.Equal(inRange.Sum(r => r.DurationMs) / inRange.Count, summary.GetProperty("averageMs").GetDouble(), 6);
            foreach (var (name, quantile) in new[] { ("p50", 0.5), ("p95", 0.95), ("p99", 0.99) })
            {
                BruteForce.WithinTwoPercent(BruteForce.Percentile(inRange, quantile), summary.GetProperty(name).GetDouble(), $"{name} over {what}");
            }

            var routes = (await client.GetJsonAsync($"routes?{range}&limit=100")).GetProperty("routes").EnumerateArray().ToList();
            foreach (var group in inRange.GroupBy(r => r.Route))
            {
                var route = routes.Single(r => (r.GetProperty("route").ValueKind == JsonValueKind.Null ? null : r.GetProperty("route").GetString()) == group.Key);
                Assert.Equal(group.Count(), route.GetProperty("requests").GetInt64());
                Assert.Equal(BruteForce.ErrorRate(group.ToList()), route.GetProperty("errorRate").GetDouble());
                BruteForce.WithinTwoPercent(BruteForce.Percentile(group, 0.95), route.GetProperty("p95").GetDouble(), $"p95 of {group.Key} over {what}");
            }

            var consumers = (await client.GetJsonAsync($"consumers?{range}")).GetProperty("consumers").EnumerateArray()
                .ToDictionary(c => c.GetProperty("consumer").ValueKind == JsonValueKind.Null ? "" : c.GetProperty("consumer").GetString()!);
            Assert.Equal(inRange.Select(r => r.Consumer ?? "").Distinct().Order(), consumers.Keys.Order());
            foreach (var group in inRange.GroupBy(r => r.Consumer ?? ""))
            {
                Assert.Equal(group.Count(), consumers[group.Key].GetProperty("requests").GetInt64());
                Assert.Equal(group.Count(r => r.Status >= 500), consumers[group.Key].GetProperty("errors5xx").GetInt64());
                Assert.Equal(group.Sum(r => r.ResponseSize ?? 0), consumers[group.Key].GetProperty("bytesOut").GetInt64());
            }
        }

        foreach (var interval in new[] { "1h", "1d" })
        {
            var (from, to) = ranges[0];
            var series = await client.GetJsonAsync($"timeseries?from={AnalyticsClient.Time(from)}&to={AnalyticsClient.Time(to)}&interval={interval}&metrics=requests,errors,p95");
            var step = interval == "1h" ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
            foreach (var point in series.GetProperty("points").EnumerateArray())
            {
                var time = point.GetProperty("time").GetDateTimeOffset();
                var bucket = records.Where(r => r.Timestamp >= time && r.Timestamp < time + step).ToList();
                var values = point.GetProperty("values");
                Assert.True(bucket.Count == values.GetProperty("requests").GetDouble(), $"requests at {time:O} ({interval})");
                Assert.Equal(BruteForce.Errors(bucket), values.GetProperty("errors").GetDouble());
                if (bucket.Count > 0)
                {
                    BruteForce.WithinTwoPercent(BruteForce.Percentile(bucket, 0.95), values.GetProperty("p95").GetDouble(), $"p95 at {time:O} ({interval})");
                }
            }
        }
    }

    private async Task<(AnalyticsClient Client, List<RequestRecord> Records)> LoadAsync(int seed, int count)
    {
        var client = new AnalyticsClient(factory, Guid.NewGuid());
        var records = SyntheticRecords.Make(seed, count, DataStart, DataMinutes);
        await using var publisher = await RecordPublisher.StartAsync(factory);
        await publisher.PublishAsync(client.ProjectId, records);
        await WaitForCountAsync(client, records.Count);
        return (client, records);
    }

    private Task<int> FoldAsync() => factory.Services.GetRequiredService<RollupFolder>().FoldAsync(CancellationToken.None);

    private static Task WaitForCountAsync(AnalyticsClient client, long count)
    {
        var range = $"from={AnalyticsClient.Time(DataStart)}&to={AnalyticsClient.Time(DataStart.AddMinutes(DataMinutes))}";
        return Database.WaitUntilAsync(
            async () => (await client.GetJsonAsync($"summary?{range}")).GetProperty("requests").GetInt64() == count, $"{count} records stored");
    }

    /// <summary>The project's hour, day, consumer-hour and total rows, as text, in key order.</summary>
    private async Task<List<string>> SnapshotAsync(Guid projectId)
    {
        var rows = await Database.ScalarAsync<string[]>(factory, """
            SELECT array_agg(t ORDER BY t) FROM (
                SELECT format('h %s %s %s %s %s %s %s %s %s %s', "Hour", "Route", "Method", "StatusClass", "Count", "Errors4xx", "Errors5xx", "BytesIn", "BytesOut", "Histogram") AS t
                FROM analytics."HourRollups" WHERE "ProjectId" = $1
                UNION ALL
                SELECT format('d %s %s %s %s %s %s %s %s %s %s', "Day", "Route", "Method", "StatusClass", "Count", "Errors4xx", "Errors5xx", "BytesIn", "BytesOut", "Histogram")
                FROM analytics."DayRollups" WHERE "ProjectId" = $1
                UNION ALL
                SELECT format('c %s %s %s %s %s %s %s', "Hour", "Consumer", "Count", "Errors4xx", "Errors5xx", "BytesIn", "BytesOut")
                FROM analytics."ConsumerHours" WHERE "ProjectId" = $1
                UNION ALL
                SELECT format('ph %s %s %s %s %s %s %s', "Hour", "Count", "Errors4xx", "Errors5xx", "BytesIn", "BytesOut", "Histogram")
                FROM analytics."ProjectHours" WHERE "ProjectId" = $1
                UNION ALL
                SELECT format('pd %s %s %s %s %s %s %s', "Day", "Count", "Errors4xx", "Errors5xx", "BytesIn", "BytesOut", "Histogram")
                FROM analytics."ProjectDays" WHERE "ProjectId" = $1) AS rows
            """, projectId);
        return [.. rows ?? []];
    }
}
