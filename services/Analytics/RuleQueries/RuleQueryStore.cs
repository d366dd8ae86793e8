using Npgsql;
using NpgsqlTypes;
using SentryFlow.Analytics.Queries;
using SentryFlow.Analytics.Rollups;
using SentryFlow.Contracts.Analytics;

namespace SentryFlow.Analytics.RuleQueries;

/// <summary>
/// Evaluates rule metrics with SQL: request metrics (slow requests too, from the latency histograms) from the roll-ups (<see cref="RollupQueries"/>: filtered, optionally
/// per route or consumer; folded hours and days unless the rule is about a consumer), signal counts from <c>analytics."SignalMinutes"</c> and
/// ingest lag from <c>analytics."LagMinutes"</c>. Never a scan of raw records.
/// </summary>
public sealed class RuleQueryStore(NpgsqlDataSource dataSource, RollupQueries rollups)
{
    private const string RollupFilter = """
        ($4::text IS NULL OR "Route" = $4) AND ($5::text IS NULL OR "Method" = $5)
        AND ($6::text IS NULL OR "Consumer" = $6) AND ($7::smallint IS NULL OR "StatusClass" = $7)
        """;

    public async Task<RuleQueryResponse> QueryAsync(
        Guid projectId, RuleQueryRequest request, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var metric = request.Metric!;
        if (metric is RuleMetrics.RateLimitRejections or RuleMetrics.KeyVerificationFailures)
        {
            var count = await SignalCountAsync(projectId, metric, from, to, cancellationToken);
            return new RuleQueryResponse(from, to, count, count, []);
        }

        if (metric is RuleMetrics.IngestLag)
        {
            var lag = await LagAsync(projectId, from, to, cancellationToken);
            return new RuleQueryResponse(from, to, lag.Percentile(request.Quantile!.Value), lag.Count, []);
        }

        var groups = await RollupsAsync(projectId, request, from, to, cancellationToken);
        var total = new RollupAggregate();
        foreach (var group in groups.Values)
        {
            Merge(total, group);
        }

        return new RuleQueryResponse(
            from, to, ValueOf(request, total), total.Count,
            request.GroupBy is null
                ? []
                : [.. groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new RuleQueryGroup(g.Key, ValueOf(request, g.Value), g.Value.Count))]);
    }

    private static double? ValueOf(RuleQueryRequest request, RollupAggregate aggregate) => request.Metric switch
    {
        RuleMetrics.RequestCount => aggregate.Count,
        RuleMetrics.Count5xx => aggregate.Errors5xx,
        RuleMetrics.ErrorRate => aggregate.Count == 0 ? null : aggregate.ErrorRate,
        RuleMetrics.SlowCount => SlowRequests.Count(aggregate.Histogram, request.ThresholdMs!.Value),
        _ => aggregate.Percentile(request.Quantile!.Value),
    };

    private Task<Dictionary<string, RollupAggregate>> RollupsAsync(
        Guid projectId, RuleQueryRequest request, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // A column name from a fixed list, never from input.
        var groupSql = request.GroupBy switch
        {
            "route" => "\"Route\"",
            "consumer" => "\"Consumer\"",
            _ => "''",
        };

        // Hours and days carry no consumer: a rule about one reads the minutes.
        var coarsest = request.GroupBy == "consumer" || request.Filters?.Consumer is not null ? RollupLevel.Minute : RollupLevel.Day;
        var filters = request.Filters;
        NpgsqlParameter[] parameters =
        [
            new() { Value = (object?)filters?.Route ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)filters?.Method?.ToUpperInvariant() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)filters?.Consumer ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)(short?)filters?.StatusClass ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint },
        ];
        return rollups.AggregateAsync<string>(projectId, from, to, groupSql, RollupFilter, parameters, coarsest, cancellationToken);
    }

    private async Task<long> SignalCountAsync(Guid projectId, string signal, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = RangeCommand(connection, """
            SELECT coalesce(sum("Count"), 0)::bigint FROM analytics."SignalMinutes"
            WHERE "ProjectId" = $1 AND "Minute" >= $2 AND "Minute" < $3 AND "Signal" = $4
            """, projectId, from, to);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = signal });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<RollupAggregate> LagAsync(Guid projectId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var lag = new RollupAggregate();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = RangeCommand(connection, """
            SELECT h.i::int - 1, sum(h.c)::bigint
            FROM analytics."LagMinutes" l CROSS JOIN LATERAL unnest(l."Histogram") WITH ORDINALITY AS h(c, i)
            WHERE "ProjectId" = $1 AND "Minute" >= $2 AND "Minute" < $3 AND h.c > 0 GROUP BY 1
            """, projectId, from, to);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lag.AddToBucket(reader.GetInt32(0), reader.GetInt64(1));
            lag.Count += reader.GetInt64(1);
        }

        return lag;
    }

    private static void Merge(RollupAggregate into, RollupAggregate group)
    {
        into.Count += group.Count;
        into.Errors4xx += group.Errors4xx;
        into.Errors5xx += group.Errors5xx;
        for (var bucket = 0; bucket < group.Histogram.Count; bucket++)
        {
            into.AddToBucket(bucket, group.Histogram[bucket]);
        }
    }

    private static NpgsqlCommand RangeCommand(NpgsqlConnection connection, string sql, Guid projectId, DateTimeOffset from, DateTimeOffset to)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = projectId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = from.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = to.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command;
    }
}
