using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using SentryFlow.Analytics.Storage;

namespace SentryFlow.Analytics.Retention;

/// <summary>
/// One retention pass: drops whole day partitions of raw records older than the longest raw retention of any project
/// (never row-by-row; a project with a shorter one has its older records hidden at query time), deletes roll-up rows
/// (minutes, hours, days) past their project's roll-up retention and forgets old dedupe keys, then records the run.
/// </summary>
public sealed partial class RetentionSweeper(
    NpgsqlDataSource dataSource, RecordPartitions partitions, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionSweeper> logger)
{
    private const string PartitionPrefix = "RequestRecords_";

    /// <summary>Per-project retention of a table's rows by a time column (<c>$1</c> now, <c>$2</c> the default days).</summary>
    private static string DeleteExpired(string table, string column) => $"""
        DELETE FROM analytics."{table}" r
        WHERE r."{column}" < $1 - make_interval(days => coalesce(
            (SELECT s."RollupRetentionDays" FROM analytics."ProjectSettings" s WHERE s."ProjectId" = r."ProjectId"), $2))
        """;

    /// <summary>The tables kept for the roll-up retention, and the time column each is kept by.</summary>
    private static readonly (string Table, string Column)[] ExpiringTables =
    [
        ("MinuteRollups", "Minute"), ("HourRollups", "Hour"), ("DayRollups", "Day"), ("ConsumerHours", "Hour"),
        ("ProjectMinutes", "Minute"), ("ProjectHours", "Hour"), ("ProjectDays", "Day"),
        ("HourFolds", "Hour"), ("DayFolds", "Day"), ("LagMinutes", "Minute"), ("SignalMinutes", "Minute"),
    ];

    public async Task<RetentionRun> RunAsync(CancellationToken cancellationToken)
    {
        var run = new RetentionRun { StartedAt = time.GetUtcNow() };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var longest = Math.Max(options.Value.DefaultRawRetentionDays, await LongestRawRetentionAsync(connection, cancellationToken));
            run.RawHorizon = RecordPartitions.DayOf(run.StartedAt.AddDays(-longest));
            run.DroppedPartitions = [.. await DropPartitionsBeforeAsync(connection, run.RawHorizon, cancellationToken)];

            foreach (var (table, column) in ExpiringTables)
            {
                await using var delete = Command(connection, DeleteExpired(table, column), run.StartedAt);
                delete.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.Value.DefaultRollupRetentionDays });
                run.DeletedRollupRows += await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            // Dedupe keys of records whose partitions are gone, and message ids too old to be redelivered.
            await using (var keys = Command(connection, """DELETE FROM analytics."RecordKeys" WHERE "Timestamp" < $1""",
                new DateTimeOffset(run.RawHorizon.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)))
            {
                await keys.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var messages = Command(connection, """DELETE FROM analytics."ProcessedMessages" WHERE "ProcessedAt" < $1""",
                run.StartedAt.AddDays(-options.Value.ProcessedMessageDays)))
            {
                await messages.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            run.Error = exception.Message;
            LogFailed(logger, exception);
        }

        run.FinishedAt = time.GetUtcNow();
        await using var record = new NpgsqlCommand("""
            INSERT INTO analytics."RetentionRuns" ("StartedAt", "FinishedAt", "RawHorizon", "DroppedPartitions", "DeletedRollupRows", "Error")
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING "Id"
            """, connection);
        record.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = run.StartedAt });
        record.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = run.FinishedAt });
        record.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = run.RawHorizon });
        record.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = run.DroppedPartitions });
        record.Parameters.Add(new NpgsqlParameter<long> { TypedValue = run.DeletedRollupRows });
        record.Parameters.Add(new NpgsqlParameter { Value = (object?)run.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        run.Id = (long)(await record.ExecuteScalarAsync(cancellationToken))!;
        LogRun(logger, run.RawHorizon, run.DroppedPartitions.Length, run.DeletedRollupRows);
        return run;
    }

    private static async Task<int> LongestRawRetentionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""SELECT coalesce(max("RawRetentionDays"), 0) FROM analytics."ProjectSettings" """, connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<List<string>> DropPartitionsBeforeAsync(NpgsqlConnection connection, DateOnly horizon, CancellationToken cancellationToken)
    {
        var expired = new List<(string Name, DateOnly Day)>();
        await using (var list = new NpgsqlCommand("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'analytics."RequestRecords"'::regclass
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                if (name.StartsWith(PartitionPrefix, StringComparison.Ordinal)
                    && DateOnly.TryParseExact(name[PartitionPrefix.Length..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                    && day < horizon)
                {
                    expired.Add((name, day));
                }
            }
        }

        var dropped = new List<string>();
        foreach (var (name, day) in expired.OrderBy(p => p.Day))
        {
            await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS analytics.\"{name}\"", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
            partitions.Forget(day);
            dropped.Add(name);
        }

        return dropped;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, DateTimeOffset time)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time });
        return command;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: raw horizon {Horizon}, {Partitions} partitions dropped, {Rows} roll-up rows deleted")]
    private static partial void LogRun(ILogger logger, DateOnly horizon, int partitions, long rows);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention run failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
