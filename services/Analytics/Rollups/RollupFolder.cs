using Npgsql;
using NpgsqlTypes;

namespace SentryFlow.Analytics.Rollups;

/// <summary>
/// Folds closed hours of minute roll-ups into <c>"HourRollups"</c> (per route, method and status class) and
/// <c>"ConsumerHours"</c> (per consumer, counts only), and closed days of hours into <c>"DayRollups"</c>. The coarse
/// tables drop the consumer: queries that do not need it read a few hundred rows an hour instead of one per
/// consumer as well.
/// <para>
/// Every fold recomputes its whole period and REPLACES the rows, so running it again changes nothing. Which periods
/// need it is kept in <c>"HourFolds"</c>/<c>"DayFolds"</c> (<c>"Dirty"</c>): the writer marks a record's hour and day
/// dirty in the transaction that stores it (taking the mark's row lock), and queries read a dirty period from the
/// minutes. A fold clears the marks first (waiting for writers that hold them) and then reads the minutes, so a
/// record is either in what it reads or marks its period dirty again after it: a late record is counted at once (from
/// the minutes) and folded in by the next run. A day is used only while none of its hours is dirty, and folding an
/// hour marks its day dirty, so a day folded from hours that changed meanwhile is never read.
/// </para>
/// </summary>
public sealed class RollupFolder(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Periods folded per transaction.</summary>
    private const int Batch = 24;

    private const string Origin = "TIMESTAMPTZ '2000-01-01 00:00:00+00'";

    private const string Values = "\"Count\", \"Errors4xx\", \"Errors5xx\", \"BytesIn\", \"BytesOut\", \"DurationSumMs\", \"Histogram\"";

    private static readonly string[] RouteKeys = ["Route", "Method", "StatusClass"];

    private const string Sums =
        """sum("Count")::bigint, sum("Errors4xx")::bigint, sum("Errors5xx")::bigint, sum("BytesIn")::bigint, sum("BytesOut")::bigint""";

    private const string ClaimHours = """
        UPDATE analytics."HourFolds" SET "Dirty" = false
        WHERE ("ProjectId", "Hour") IN (
            SELECT "ProjectId", "Hour" FROM analytics."HourFolds" WHERE "Dirty" AND "Hour" <= $1 ORDER BY "Hour", "ProjectId" LIMIT $2)
          AND "Dirty"
        RETURNING "ProjectId", "Hour"
        """;

    // A day is folded from its hours, so only once none of them is waiting for a fold.
    private const string ClaimDays = """
        UPDATE analytics."DayFolds" SET "Dirty" = false
        WHERE ("ProjectId", "Day") IN (
            SELECT d."ProjectId", d."Day" FROM analytics."DayFolds" d
            WHERE d."Dirty" AND d."Day" <= $1 AND NOT EXISTS (
                SELECT 1 FROM analytics."HourFolds" h
                WHERE h."ProjectId" = d."ProjectId" AND h."Dirty" AND h."Hour" >= d."Day" AND h."Hour" < d."Day" + interval '24 hours')
            ORDER BY d."Day", d."ProjectId" LIMIT $2)
          AND "Dirty"
        RETURNING "ProjectId", "Day"
        """;

    /// <summary>Folds every closed dirty hour, then every closed day whose hours are all folded; returns how many periods it folded.</summary>
    public async Task<int> FoldAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var folded = 0;
        int count;
        do
        {
            count = await FoldBatchAsync(ClaimHours, now.AddHours(-1), FoldHours, cancellationToken);
            folded += count;
        }
        while (count == Batch);

        do
        {
            count = await FoldBatchAsync(ClaimDays, now.AddDays(-1), FoldDays, cancellationToken);
            folded += count;
        }
        while (count == Batch);

        return folded;
    }

    private async Task<int> FoldBatchAsync(string claim, DateTimeOffset closedBy, string[] fold, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var projects = new List<Guid>();
        var periods = new List<DateTime>();
        await using (var command = new NpgsqlCommand(claim, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = closedBy });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Batch });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                projects.Add(reader.GetGuid(0));
                periods.Add(reader.GetFieldValue<DateTime>(1));
            }
        }

        foreach (var sql in fold)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. projects] });
            command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. periods], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return projects.Count;
    }

    private static readonly string[] FoldHours =
    [
        Replace("HourRollups", "Hour"),
        Fold(source: "MinuteRollups", sourceTime: "Minute", target: "HourRollups", targetTime: "Hour", period: "1 hour", keys: RouteKeys),
        Replace("ProjectHours", "Hour"),
        Fold(source: "ProjectMinutes", sourceTime: "Minute", target: "ProjectHours", targetTime: "Hour", period: "1 hour"),
        Replace("ConsumerHours", "Hour"),
        $"""
        INSERT INTO analytics."ConsumerHours" ("ProjectId", "Hour", "Consumer", "Count", "Errors4xx", "Errors5xx", "BytesIn", "BytesOut")
        SELECT f.p, f.t, m."Consumer", {Sums}
        FROM unnest($1::uuid[], $2::timestamptz[]) AS f(p, t)
        JOIN analytics."MinuteRollups" m ON m."ProjectId" = f.p AND m."Minute" >= f.t AND m."Minute" < f.t + interval '1 hour'
        GROUP BY 1, 2, 3
        """,
        // The hours' days are folded again from the new hours. A day fold that ran while a writer's mark of one of its
        // hours was not yet committed claimed the day without that writer's records; this is what brings them in.
        $"""
        INSERT INTO analytics."DayFolds" AS d ("ProjectId", "Day", "Dirty")
        SELECT DISTINCT f.p, date_bin('24 hours', f.t, {Origin}), true FROM unnest($1::uuid[], $2::timestamptz[]) AS f(p, t) ORDER BY 1, 2
        ON CONFLICT ("ProjectId", "Day") DO UPDATE SET "Dirty" = true WHERE NOT d."Dirty"
        """,
    ];

    private static readonly string[] FoldDays =
    [
        Replace("DayRollups", "Day"),
        Fold(source: "HourRollups", sourceTime: "Hour", target: "DayRollups", targetTime: "Day", period: "24 hours", keys: RouteKeys),
        Replace("ProjectDays", "Day"),
        Fold(source: "ProjectHours", sourceTime: "Hour", target: "ProjectDays", targetTime: "Day", period: "24 hours"),
    ];

    private static string Replace(string table, string timeColumn) => $"""
        DELETE FROM analytics."{table}" r USING unnest($1::uuid[], $2::timestamptz[]) AS f(p, t)
        WHERE r."ProjectId" = f.p AND r."{timeColumn}" = f.t
        """;

    /// <summary>
    /// Sums the source rows of each claimed period per <paramref name="keys"/> (route, method and status class, or none:
    /// the project's totals), histograms merged per bucket.
    /// </summary>
    private static string Fold(string source, string sourceTime, string target, string targetTime, string period, params string[] keys)
    {
        var quoted = keys.Select(k => $"\"{k}\"").ToArray();
        return $"""
            INSERT INTO analytics."{target}" ({string.Join(", ", ["\"ProjectId\"", $"\"{targetTime}\"", .. quoted])}, {Values})
            {Sum($"""
                SELECT f.p, f.t, s.*
                FROM unnest($1::uuid[], $2::timestamptz[]) AS f(p, t)
                JOIN analytics."{source}" s ON s."ProjectId" = f.p AND s."{sourceTime}" >= f.t AND s."{sourceTime}" < f.t + interval '{period}'
                """, string.Join(", ", ["p", "t", .. quoted]))}
            """;
    }

    /// <summary>
    /// The rows of <paramref name="rows"/> summed per <paramref name="keys"/>: the keys, then the roll-up columns from
    /// <c>"Count"</c> to <c>"Histogram"</c> (packed histograms merged per bucket).
    /// </summary>
    public static string Sum(string rows, string keys) => $"""
        WITH rows AS ({rows}),
        totals AS (SELECT {keys}, {Sums}, sum("DurationSumMs") AS "DurationSumMs" FROM rows GROUP BY {keys}),
        buckets AS (
            SELECT {keys}, e >> {PackedHistogram.BucketShift} AS bucket, sum(e & {PackedHistogram.CountMask})::bigint AS n
            FROM rows CROSS JOIN LATERAL unnest(rows."Histogram") AS e GROUP BY {keys}, bucket),
        histograms AS (SELECT {keys}, array_agg((bucket << {PackedHistogram.BucketShift}) | n ORDER BY bucket) AS h FROM buckets GROUP BY {keys})
        SELECT totals.*, coalesce(histograms.h, ARRAY[]::bigint[]) FROM totals LEFT JOIN histograms USING ({keys}) ORDER BY {keys}
        """;

    /// <summary>The statements the writer runs (last, just before it commits) to mark the hours and days of its roll-ups dirty.</summary>
    public static readonly string MarkDirty = $"""
        INSERT INTO analytics."HourFolds" AS f ("ProjectId", "Hour", "Dirty")
        SELECT DISTINCT "ProjectId", date_bin('1 hour', "Minute", {Origin}), true FROM staging_rollups ORDER BY 1, 2
        ON CONFLICT ("ProjectId", "Hour") DO UPDATE SET "Dirty" = true WHERE NOT f."Dirty";
        INSERT INTO analytics."DayFolds" AS f ("ProjectId", "Day", "Dirty")
        SELECT DISTINCT "ProjectId", date_bin('24 hours', "Minute", {Origin}), true FROM staging_rollups ORDER BY 1, 2
        ON CONFLICT ("ProjectId", "Day") DO UPDATE SET "Dirty" = true WHERE NOT f."Dirty";
        """;
}
