using Npgsql;
using NpgsqlTypes;

namespace SentryFlow.Analytics.Queries;

/// <summary>
/// Answers from the minute roll-ups only (never a scan of raw records): sums per group over [from, to), and the
/// groups' merged latency histograms (the arrays unnested and summed per bucket in PostgreSQL).
/// </summary>
public sealed class RollupQueries(NpgsqlDataSource dataSource)
{
    private const string Range = """ "ProjectId" = $1 AND "Minute" >= $2 AND "Minute" < $3 """;

    /// <summary>
    /// Sums the project's roll-ups in [<paramref name="from"/>, <paramref name="to"/>) per value of
    /// <paramref name="groupSql"/> (a SQL expression over the roll-up's columns of type <typeparamref name="TGroup"/>;
    /// <c>$4</c> is <paramref name="extra"/> when given).
    /// </summary>
    public async Task<Dictionary<TGroup, RollupAggregate>> AggregateAsync<TGroup>(
        Guid projectId, DateTimeOffset from, DateTimeOffset to, string groupSql, CancellationToken cancellationToken, NpgsqlParameter? extra = null)
        where TGroup : notnull
    {
        var groups = new Dictionary<TGroup, RollupAggregate>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        await using (var totals = Command(connection, $"""
            SELECT {groupSql} AS g, sum("Count")::bigint, sum("Errors4xx")::bigint, sum("Errors5xx")::bigint,
                   sum("BytesIn")::bigint, sum("BytesOut")::bigint, sum("DurationSumMs")
            FROM analytics."MinuteRollups" WHERE {Range} GROUP BY 1
            """, projectId, from, to, extra))
        await using (var reader = await totals.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                groups[reader.GetFieldValue<TGroup>(0)] = new RollupAggregate
                {
                    Count = reader.GetInt64(1),
                    Errors4xx = reader.GetInt64(2),
                    Errors5xx = reader.GetInt64(3),
                    BytesIn = reader.GetInt64(4),
                    BytesOut = reader.GetInt64(5),
                    DurationSumMs = reader.GetDouble(6),
                };
            }
        }

        await using (var histograms = Command(connection, $"""
            SELECT {groupSql} AS g, h.i::int - 1, sum(h.c)::bigint
            FROM analytics."MinuteRollups" r CROSS JOIN LATERAL unnest(r."Histogram") WITH ORDINALITY AS h(c, i)
            WHERE {Range} AND h.c > 0 GROUP BY 1, 2
            """, projectId, from, to, extra?.Clone()))
        await using (var reader = await histograms.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (groups.TryGetValue(reader.GetFieldValue<TGroup>(0), out var group))
                {
                    group.AddToBucket(reader.GetInt32(1), reader.GetInt64(2));
                }
            }
        }

        return groups;
    }

    /// <summary>How many distinct consumers and routes the project saw in the range.</summary>
    public async Task<(long Consumers, long Routes)> DistinctAsync(Guid projectId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, $"""
            SELECT count(DISTINCT "Consumer") FILTER (WHERE "Consumer" <> ''), count(DISTINCT "Route") FILTER (WHERE "Route" <> '')
            FROM analytics."MinuteRollups" WHERE {Range}
            """, projectId, from, to, null);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, Guid projectId, DateTimeOffset from, DateTimeOffset to, NpgsqlParameter? extra)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = projectId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = from.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = to.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        if (extra is not null)
        {
            command.Parameters.Add(extra);
        }

        return command;
    }
}
