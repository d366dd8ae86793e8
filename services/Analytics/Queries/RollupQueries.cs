using Npgsql;
using NpgsqlTypes;
using SentryFlow.Analytics.Rollups;

namespace SentryFlow.Analytics.Queries;

/// <summary>
/// Answers from the roll-ups only (never a scan of raw records). A <see cref="RollupPlan"/> splits the range into
/// folded days, folded hours and minutes; the rows of all three are read as one source whose columns are the minute
/// table's (<c>"Minute"</c> is the row's period start), summed per group and their packed histograms merged in C#.
/// The hour and day tables carry no consumer: what groups or filters by consumer reads the minutes (and
/// <see cref="ConsumersAsync"/> the per-consumer hours).
/// </summary>
public sealed class RollupQueries(NpgsqlDataSource dataSource)
{
    private const string Columns =
        """ "Route", "Method", "StatusClass", "Count", "Errors4xx", "Errors5xx", "BytesIn", "BytesOut", "DurationSumMs", "Histogram" """;

    private const string Sums = """ "Count", "Errors4xx", "Errors5xx", "BytesIn", "BytesOut", "DurationSumMs", "Histogram" """;

    private const string Counts = """ "Count", "Errors4xx", "Errors5xx", "BytesIn", "BytesOut" """;

    /// <summary>
    /// Sums the project's roll-ups in [<paramref name="from"/>, <paramref name="to"/>) per value of
    /// <paramref name="groupSql"/> (a SQL expression of type <typeparamref name="TGroup"/> over <c>"Minute"</c>,
    /// <c>"Route"</c>, <c>"Method"</c> and <c>"StatusClass"</c>; <c>$4</c> is <paramref name="extra"/> when given),
    /// reading tables no coarser than <paramref name="coarsest"/>.
    /// </summary>
    public Task<Dictionary<TGroup, RollupAggregate>> AggregateAsync<TGroup>(
        Guid projectId, DateTimeOffset from, DateTimeOffset to, string groupSql, CancellationToken cancellationToken,
        NpgsqlParameter? extra = null, RollupLevel coarsest = RollupLevel.Day)
        where TGroup : notnull =>
        AggregateAsync<TGroup>(projectId, from, to, groupSql, "true", extra is null ? [] : [extra], coarsest, cancellationToken);

    /// <summary>
    /// Like the overload above, with a filter (<paramref name="filterSql"/> over the same columns, its parameters
    /// <paramref name="parameters"/> numbered from <c>$4</c>). A group or filter over <c>"Consumer"</c> needs
    /// <paramref name="coarsest"/> = <see cref="RollupLevel.Minute"/>: the coarser tables have none.
    /// </summary>
    public async Task<Dictionary<TGroup, RollupAggregate>> AggregateAsync<TGroup>(
        Guid projectId, DateTimeOffset from, DateTimeOffset to, string groupSql, string filterSql, IReadOnlyList<NpgsqlParameter> parameters,
        RollupLevel coarsest, CancellationToken cancellationToken)
        where TGroup : notnull =>
        await SumAsync<TGroup>(projectId, from, to, parameters, coarsest, (command, plan) => $"""
            WITH r AS ({Source(command, plan)})
            SELECT {groupSql}, {Sums} FROM r WHERE {filterSql}
            """, cancellationToken);

    /// <summary>
    /// Sums the project's totals (all routes, methods, consumers and status classes together, one row a minute, hour or
    /// day) in [<paramref name="from"/>, <paramref name="to"/>) per value of <paramref name="groupSql"/> (over
    /// <c>"Minute"</c>, the row's period start, only; <c>$4</c> is <paramref name="extra"/> when given): what the
    /// summary and an ungrouped time series need, in a few hundred rows where the routes' roll-ups have tens of thousands.
    /// </summary>
    public async Task<Dictionary<TGroup, RollupAggregate>> TotalsAsync<TGroup>(
        Guid projectId, DateTimeOffset from, DateTimeOffset to, string groupSql, CancellationToken cancellationToken,
        NpgsqlParameter? extra = null, RollupLevel coarsest = RollupLevel.Day)
        where TGroup : notnull =>
        await SumAsync<TGroup>(projectId, from, to, extra is null ? [] : [extra], coarsest, (command, plan) => $"""
            WITH r AS ({Union(
                [
                    Branch(command, plan, $""" "Minute", {Sums} """, "ProjectMinutes", "Minute", RollupLevel.Minute),
                    Branch(command, plan, $""" "Hour" AS "Minute", {Sums} """, "ProjectHours", "Hour", RollupLevel.Hour),
                    Branch(command, plan, $""" "Day" AS "Minute", {Sums} """, "ProjectDays", "Day", RollupLevel.Day),
                ],
                $"""SELECT "Minute", {Sums} FROM analytics."ProjectMinutes" """)})
            SELECT {groupSql}, {Sums} FROM r
            """, cancellationToken);

    /// <summary>
    /// Runs the query <paramref name="sql"/> makes for the range's plan (its rows: a group key, then
    /// <see cref="Sums"/>) and adds up each group's rows.
    /// </summary>
    private async Task<Dictionary<TGroup, RollupAggregate>> SumAsync<TGroup>(
        Guid projectId, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<NpgsqlParameter> parameters, RollupLevel coarsest,
        Func<NpgsqlCommand, RollupPlan, string> sql, CancellationToken cancellationToken)
        where TGroup : notnull
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var plan = await PlanAsync(connection, projectId, from, to, coarsest, cancellationToken);
        await using var command = Command(connection, projectId, from, to);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter.Clone());
        }

        command.CommandText = sql(command, plan);
        var groups = new Dictionary<TGroup, RollupAggregate>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetFieldValue<TGroup>(0);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = new RollupAggregate();
            }

            group.Count += reader.GetInt64(1);
            group.Errors4xx += reader.GetInt64(2);
            group.Errors5xx += reader.GetInt64(3);
            group.BytesIn += reader.GetInt64(4);
            group.BytesOut += reader.GetInt64(5);
            group.DurationSumMs += reader.GetDouble(6);
            group.AddPacked(reader.GetFieldValue<long[]>(7));
        }

        return groups;
    }

    /// <summary>Requests, errors and bytes per consumer ("" for none): folded hours and days from <c>"ConsumerHours"</c>, the rest from the minutes.</summary>
    public async Task<Dictionary<string, RollupAggregate>> ConsumersAsync(
        Guid projectId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var plan = await PlanAsync(connection, projectId, from, to, RollupLevel.Day, cancellationToken);
        await using var command = Command(connection, projectId, from, to);
        // A folded day's hours are all folded, so its consumers are in "ConsumerHours".
        var branches = new[]
        {
            Branch(command, plan, $""" "Consumer", {Counts} """, "MinuteRollups", "Minute", RollupLevel.Minute),
            Branch(command, plan, $""" "Consumer", {Counts} """, "ConsumerHours", "Hour", RollupLevel.Hour, RollupLevel.Day),
        };
        command.CommandText = $"""
            SELECT "Consumer", sum("Count")::bigint, sum("Errors4xx")::bigint, sum("Errors5xx")::bigint, sum("BytesIn")::bigint, sum("BytesOut")::bigint
            FROM ({Union(branches, $"""SELECT "Consumer", {Counts} FROM analytics."ConsumerHours" """)}) AS r
            GROUP BY 1
            """;

        var consumers = new Dictionary<string, RollupAggregate>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            consumers[reader.GetString(0)] = new RollupAggregate
            {
                Count = reader.GetInt64(1),
                Errors4xx = reader.GetInt64(2),
                Errors5xx = reader.GetInt64(3),
                BytesIn = reader.GetInt64(4),
                BytesOut = reader.GetInt64(5),
            };
        }

        return consumers;
    }

    /// <summary>
    /// How many distinct consumers and routes the project saw in the range. Only key columns are read, so the primary
    /// keys' indexes answer (index-only scans) without the rows' histograms.
    /// </summary>
    public async Task<(long Consumers, long Routes)> DistinctAsync(Guid projectId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var plan = await PlanAsync(connection, projectId, from, to, RollupLevel.Day, cancellationToken);
        await using var command = Command(connection, projectId, from, to);
        // A folded day's hours are all folded, so its consumers are in "ConsumerHours".
        var consumers = Union(
            [
                Branch(command, plan, "\"Consumer\"", "MinuteRollups", "Minute", RollupLevel.Minute),
                Branch(command, plan, "\"Consumer\"", "ConsumerHours", "Hour", RollupLevel.Hour, RollupLevel.Day),
            ],
            """SELECT "Consumer" FROM analytics."ConsumerHours" """);
        var routes = Union(
            [
                Branch(command, plan, "\"Route\"", "MinuteRollups", "Minute", RollupLevel.Minute),
                Branch(command, plan, "\"Route\"", "HourRollups", "Hour", RollupLevel.Hour),
                Branch(command, plan, "\"Route\"", "DayRollups", "Day", RollupLevel.Day),
            ],
            """SELECT "Route" FROM analytics."DayRollups" """);
        command.CommandText = $"""
            SELECT (SELECT count(DISTINCT "Consumer") FILTER (WHERE "Consumer" <> '') FROM ({consumers}) AS c),
                   (SELECT count(DISTINCT "Route") FILTER (WHERE "Route" <> '') FROM ({routes}) AS r)
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// The plan for the range: the project's clean hours and days in it decide which table answers what. A day with a
    /// dirty hour is not clean, whatever its own mark says: it may have been folded before that hour's newest records.
    /// </summary>
    private static async Task<RollupPlan> PlanAsync(
        NpgsqlConnection connection, Guid projectId, DateTimeOffset from, DateTimeOffset to, RollupLevel coarsest, CancellationToken cancellationToken)
    {
        var hours = new HashSet<DateTimeOffset>();
        var days = new HashSet<DateTimeOffset>();
        if (coarsest > RollupLevel.Minute)
        {
            await using var command = Command(connection, projectId, from, to);
            command.CommandText = """
                SELECT false, "Hour" FROM analytics."HourFolds" WHERE "ProjectId" = $1 AND "Hour" >= $2 AND "Hour" < $3 AND NOT "Dirty"
                UNION ALL
                SELECT true, "Day" FROM analytics."DayFolds" d
                WHERE "ProjectId" = $1 AND "Day" >= $2 AND "Day" < $3 AND NOT "Dirty" AND NOT EXISTS (
                    SELECT 1 FROM analytics."HourFolds" h
                    WHERE h."ProjectId" = $1 AND h."Dirty" AND h."Hour" >= d."Day" AND h."Hour" < d."Day" + interval '24 hours')
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                (reader.GetBoolean(0) ? days : hours).Add(new DateTimeOffset(reader.GetFieldValue<DateTime>(1), TimeSpan.Zero));
            }
        }

        return RollupPlan.Make(from, to, coarsest, hours, days);
    }

    /// <summary>
    /// The three tables' rows in the plan's segments, with the minute table's columns (no consumer in hours and days).
    /// Each table is read only where the plan says, every segment its own range on the table's primary key
    /// (project, period start): a join to the segments as an array let the planner, not knowing how narrow they are,
    /// scan all of the project's minutes (seconds at 10 million records).
    /// </summary>
    private static string Source(NpgsqlCommand command, RollupPlan plan) => Union(
        [
            Branch(command, plan, $""" "Minute", "Consumer", {Columns} """, "MinuteRollups", "Minute", RollupLevel.Minute),
            Branch(command, plan, $""" "Hour" AS "Minute", '' AS "Consumer", {Columns} """, "HourRollups", "Hour", RollupLevel.Hour),
            Branch(command, plan, $""" "Day" AS "Minute", '' AS "Consumer", {Columns} """, "DayRollups", "Day", RollupLevel.Day),
        ],
        $"""SELECT "Minute", "Consumer", {Columns} FROM analytics."MinuteRollups" """);

    /// <summary>
    /// <paramref name="columns"/> of <paramref name="table"/>'s rows of the project in the plan's segments of
    /// <paramref name="levels"/> (a range of <paramref name="timeColumn"/> each, their bounds added to
    /// <paramref name="command"/>); null when the plan has none.
    /// </summary>
    private static string? Branch(NpgsqlCommand command, RollupPlan plan, string columns, string table, string timeColumn, params RollupLevel[] levels)
    {
        var ranges = new List<string>();
        foreach (var segment in plan.Segments.Where(s => levels.Contains(s.Level)))
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = segment.From.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = segment.To.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            ranges.Add($"(\"{timeColumn}\" >= ${command.Parameters.Count - 1} AND \"{timeColumn}\" < ${command.Parameters.Count})");
        }

        return ranges.Count == 0
            ? null
            : $"""SELECT {columns} FROM analytics."{table}" WHERE "ProjectId" = $1 AND ({string.Join(" OR ", ranges)})""";
    }

    /// <summary>The branches as one source; <paramref name="none"/>'s columns, without rows, when there are none.</summary>
    private static string Union(IEnumerable<string?> branches, string none)
    {
        var present = branches.OfType<string>().ToList();
        return present.Count == 0 ? $"{none} WHERE false" : string.Join("\nUNION ALL\n", present);
    }

    /// <summary>A command with the project as <c>$1</c> and the range as <c>$2</c>, <c>$3</c>; its text is set once its other parameters are.</summary>
    private static NpgsqlCommand Command(NpgsqlConnection connection, Guid projectId, DateTimeOffset from, DateTimeOffset to)
    {
        var command = new NpgsqlCommand { Connection = connection };
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = projectId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = from.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = to.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command;
    }
}
