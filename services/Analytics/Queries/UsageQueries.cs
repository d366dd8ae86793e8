using Npgsql;
using NpgsqlTypes;
using SentryFlow.Analytics.Rollups;

namespace SentryFlow.Analytics.Queries;

/// <summary>Events per type (from the events table) and processing lag (from the per-minute lag histograms).</summary>
public sealed class UsageQueries(NpgsqlDataSource dataSource)
{
    public async Task<Dictionary<string, long>> EventsByTypeAsync(Guid projectId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT "Type", count(*) FROM analytics."Events"
            WHERE "ProjectId" = $1 AND "Timestamp" >= $2 AND "Timestamp" < $3 GROUP BY 1
            """, projectId, from, to);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>The merged lag histogram of the records stored in [from, to).</summary>
    public async Task<RollupAggregate> LagAsync(Guid projectId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT h.i::int - 1, sum(h.c)::bigint
            FROM analytics."LagMinutes" l CROSS JOIN LATERAL unnest(l."Histogram") WITH ORDINALITY AS h(c, i)
            WHERE l."ProjectId" = $1 AND l."Minute" >= $2 AND l."Minute" < $3 AND h.c > 0 GROUP BY 1
            """, projectId, from, to);
        var lag = new RollupAggregate();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lag.AddToBucket(reader.GetInt32(0), reader.GetInt64(1));
            lag.Count += reader.GetInt64(1);
        }

        return lag;
    }

    private NpgsqlCommand Command(string sql, Guid projectId, DateTimeOffset from, DateTimeOffset to)
    {
        var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = projectId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = from.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = to.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command;
    }
}
