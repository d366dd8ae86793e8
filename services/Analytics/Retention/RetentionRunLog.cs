using Npgsql;

namespace SentryFlow.Analytics.Retention;

/// <summary>The retention job's recorded runs, newest first.</summary>
public sealed class RetentionRunLog(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<RetentionRun>> LatestAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT "Id", "StartedAt", "FinishedAt", "RawHorizon", "DroppedPartitions", "DeletedRollupRows", "Error"
            FROM analytics."RetentionRuns" ORDER BY "Id" DESC LIMIT $1
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var runs = new List<RetentionRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new RetentionRun
            {
                Id = reader.GetInt64(0),
                StartedAt = reader.GetFieldValue<DateTimeOffset>(1),
                FinishedAt = reader.GetFieldValue<DateTimeOffset>(2),
                RawHorizon = reader.GetFieldValue<DateOnly>(3),
                DroppedPartitions = reader.GetFieldValue<string[]>(4),
                DeletedRollupRows = reader.GetInt64(5),
                Error = reader.IsDBNull(6) ? null : reader.GetString(6),
            });
        }

        return runs;
    }
}
