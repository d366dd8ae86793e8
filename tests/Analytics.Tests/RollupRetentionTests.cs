namespace SentryFlow.Analytics.Tests;

/// <summary>Hourly and daily roll-ups, the project totals, consumer hours and fold marks expire with the project's roll-up retention (90 days here).</summary>
public sealed class RollupRetentionTests(RetentionTests.Factory factory) : IClassFixture<RetentionTests.Factory>
{
    private static readonly (string Table, string Column, string Insert)[] Tables =
    [
        ("HourRollups", "Hour", """
            INSERT INTO analytics."HourRollups" VALUES ($1, $2, '/r', 'GET', 2, 1, 0, 0, 0, 0, 1, ARRAY[281474976710657])
            """),
        ("DayRollups", "Day", """
            INSERT INTO analytics."DayRollups" VALUES ($1, $2, '/r', 'GET', 2, 1, 0, 0, 0, 0, 1, ARRAY[281474976710657])
            """),
        ("ProjectMinutes", "Minute", """INSERT INTO analytics."ProjectMinutes" VALUES ($1, $2, 1, 0, 0, 0, 0, 1, ARRAY[281474976710657])"""),
        ("ProjectHours", "Hour", """INSERT INTO analytics."ProjectHours" VALUES ($1, $2, 1, 0, 0, 0, 0, 1, ARRAY[281474976710657])"""),
        ("ProjectDays", "Day", """INSERT INTO analytics."ProjectDays" VALUES ($1, $2, 1, 0, 0, 0, 0, 1, ARRAY[281474976710657])"""),
        ("ConsumerHours", "Hour", """INSERT INTO analytics."ConsumerHours" VALUES ($1, $2, 'c', 1, 0, 0, 0, 0)"""),
        ("HourFolds", "Hour", """INSERT INTO analytics."HourFolds" VALUES ($1, $2, false)"""),
        ("DayFolds", "Day", """INSERT INTO analytics."DayFolds" VALUES ($1, $2, false)"""),
    ];

    [Fact]
    public async Task The_retention_job_deletes_hours_and_days_past_the_roll_up_retention_and_keeps_the_rest()
    {
        _ = factory.Server;
        var project = Guid.NewGuid();
        var expired = Rollups.RollupPlan.Floor(DateTimeOffset.UtcNow.AddDays(-91), TimeSpan.FromMinutes(1));
        var kept = Rollups.RollupPlan.Floor(DateTimeOffset.UtcNow.AddDays(-89), TimeSpan.FromMinutes(1));
        foreach (var (_, _, insert) in Tables)
        {
            await Database.ExecuteAsync(factory, insert, project, expired);
            await Database.ExecuteAsync(factory, insert, project, kept);
        }

        foreach (var (table, column, _) in Tables)
        {
            await Database.WaitUntilAsync(
                async () => await Database.ScalarAsync<long>(factory, $"""SELECT count(*) FROM analytics."{table}" WHERE "ProjectId" = $1""", project) == 1,
                $"the expired row of {table} deleted");
            Assert.Equal(1, await Database.ScalarAsync<long>(factory,
                $"""SELECT count(*) FROM analytics."{table}" WHERE "ProjectId" = $1 AND "{column}" = $2""", project, kept));
        }
    }
}
