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
        where TGroup : notnull
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var plan = await PlanAsync(connection, projectId, from, to, coarsest, cancellationToken);
        var first = 4 + parameters.Count;
        await using var command = Command(connection, $"""
            WITH r AS ({Source(first)})
            SELECT {groupSql}, "Count", "Errors4xx", "Errors5xx", "BytesIn", "BytesOut", "DurationSumMs", "Histogram" FROM r WHERE {filterSql}
            """, projectId, from, to);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter.Clone());
        }

        AddRanges(command, plan, [RollupLevel.Minute], [RollupLevel.Hour], [RollupLevel.Day]);

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
        await using var command = Command(connection, $"""
            SELECT "Consumer", sum("Count")::bigint, sum("Errors4xx")::bigint, sum("Errors5xx")::bigint, sum("BytesIn")::bigint, sum("BytesOut")::bigint
            FROM (
                SELECT m."Consumer", {Prefixed("m", Counts)}
                FROM unnest($4::timestamptz[], $5::timestamptz[]) AS s(f, t)
                JOIN analytics."MinuteRollups" m ON m."ProjectId" = $1 AND m."Minute" >= s.f AND m."Minute" < s.t
                UNION ALL
                SELECT c."Consumer", {Prefixed("c", Counts)}
                FROM unnest($6::timestamptz[], $7::timestamptz[]) AS s(f, t)
                JOIN analytics."ConsumerHours" c ON c."ProjectId" = $1 AND c."Hour" >= s.f AND c."Hour" < s.t) AS r
            GROUP BY 1
            """, projectId, from, to);
        // A folded day's hours are all folded, so its consumers are in "ConsumerHours".
        AddRanges(command, plan, [RollupLevel.Minute], [RollupLevel.Hour, RollupLevel.Day]);

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

    /// <summary>How many distinct consumers and routes the project saw in the range.</summary>
    public async Task<(long Consumers, long Routes)> DistinctAsync(Guid projectId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var consumers = await ConsumersAsync(projectId, from, to, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var plan = await PlanAsync(connection, projectId, from, to, RollupLevel.Day, cancellationToken);
        await using var command = Command(connection, $"""
            WITH r AS ({Source(4)})
            SELECT count(DISTINCT "Route") FILTER (WHERE "Route" <> '') FROM r
            """, projectId, from, to);
        AddRanges(command, plan, [RollupLevel.Minute], [RollupLevel.Hour], [RollupLevel.Day]);
        var routes = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return (consumers.Keys.LongCount(c => c.Length > 0), routes);
    }

    /// <summary>The plan for the range: the project's clean hours and days in it decide which table answers what.</summary>
    private static async Task<RollupPlan> PlanAsync(
        NpgsqlConnection connection, Guid projectId, DateTimeOffset from, DateTimeOffset to, RollupLevel coarsest, CancellationToken cancellationToken)
    {
        var hours = new HashSet<DateTimeOffset>();
        var days = new HashSet<DateTimeOffset>();
        if (coarsest > RollupLevel.Minute)
        {
            await using var command = Command(connection, """
                SELECT false, "Hour" FROM analytics."HourFolds" WHERE "ProjectId" = $1 AND "Hour" >= $2 AND "Hour" < $3 AND NOT "Dirty"
                UNION ALL
                SELECT true, "Day" FROM analytics."DayFolds" WHERE "ProjectId" = $1 AND "Day" >= $2 AND "Day" < $3 AND NOT "Dirty"
                """, projectId, from, to);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                (reader.GetBoolean(0) ? days : hours).Add(new DateTimeOffset(reader.GetFieldValue<DateTime>(1), TimeSpan.Zero));
            }
        }

        return RollupPlan.Make(from, to, coarsest, hours, days);
    }

    /// <summary>The three tables' rows in the plan's segments, with the minute table's columns (no consumer in hours and days).</summary>
    private static string Source(int first) => $"""
        SELECT m."Minute", m."Consumer", {Prefixed("m", Columns)}
        FROM unnest(${first}::timestamptz[], ${first + 1}::timestamptz[]) AS s(f, t)
        JOIN analytics."MinuteRollups" m ON m."ProjectId" = $1 AND m."Minute" >= s.f AND m."Minute" < s.t
        UNION ALL
        SELECT h."Hour", '', {Prefixed("h", Columns)}
        FROM unnest(${first + 2}::timestamptz[], ${first + 3}::timestamptz[]) AS s(f, t)
        JOIN analytics."HourRollups" h ON h."ProjectId" = $1 AND h."Hour" >= s.f AND h."Hour" < s.t
        UNION ALL
        SELECT d."Day", '', {Prefixed("d", Columns)}
        FROM unnest(${first + 4}::timestamptz[], ${first + 5}::timestamptz[]) AS s(f, t)
        JOIN analytics."DayRollups" d ON d."ProjectId" = $1 AND d."Day" >= s.f AND d."Day" < s.t
        """;

    private static string Prefixed(string alias, string columns) =>
        string.Join(", ", columns.Split(',', StringSplitOptions.TrimEntries).Select(c => $"{alias}.{c}"));

    /// <summary>Adds a pair of arrays (starts, ends) per entry of <paramref name="levels"/>: the plan's segments of those levels.</summary>
    private static void AddRanges(NpgsqlCommand command, RollupPlan plan, params RollupLevel[][] levels)
    {
        foreach (var level in levels)
        {
            var (starts, ends) = plan.Ranges(level);
            command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = starts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = ends, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, Guid projectId, DateTimeOffset from, DateTimeOffset to)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = projectId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = from.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = to.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command;
    }
}
