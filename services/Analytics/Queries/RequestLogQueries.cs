using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace SentryFlow.Analytics.Queries;

/// <summary>
/// The raw request log, newest first, keyset-paged on ("Timestamp", "Id") so a page is an index range scan of the
/// primary key and the partitions outside [from, to) are pruned.
/// </summary>
public sealed class RequestLogQueries(NpgsqlDataSource dataSource)
{
    public async Task<(IReadOnlyList<RequestLogEntry> Entries, RequestLogCursor? Next)> PageAsync(
        Guid projectId, RequestLogFilter filter, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("""
            SELECT "Id", "ClientId", "Timestamp", "Method", "Host", "Path", "Route", "Status", "DurationMs", "RequestSize",
                   "ResponseSize", "Consumer", "ClientIp", "UserAgent", "TraceId", "ErrorType", "ErrorMessage"
            FROM analytics."RequestRecords"
            WHERE "ProjectId" = $1 AND "Timestamp" >= $2 AND "Timestamp" < $3
            """);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand { Connection = connection };
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = projectId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = filter.From.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = filter.To.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });

        void Where<T>(string condition, T value)
        {
            command.Parameters.Add(new NpgsqlParameter<T> { TypedValue = value });
            sql.Append(" AND ").Append(condition.Replace("@", "$" + command.Parameters.Count, StringComparison.Ordinal));
        }

        if (filter.Status is { } status)
        {
            Where("\"Status\" = @", status);
        }

        if (filter.StatusClass is { } statusClass)
        {
            Where("\"Status\" >= @ * 100 AND \"Status\" < (@ + 1) * 100", statusClass);
        }

        if (filter.Method is { } method)
        {
            Where("\"Method\" = @", method);
        }

        if (filter.Route is { } route)
        {
            Where("\"Route\" = @", route);
        }

        if (filter.Consumer is { } consumer)
        {
            Where("\"Consumer\" = @", consumer);
        }

        if (filter.Before is { } before)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = before.Timestamp, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = before.Id });
            sql.Append($" AND (\"Timestamp\", \"Id\") < (${command.Parameters.Count - 1}, ${command.Parameters.Count})");
        }

        sql.Append($" ORDER BY \"Timestamp\" DESC, \"Id\" DESC LIMIT {filter.Limit + 1}");
        command.CommandText = sql.ToString();

        var entries = new List<RequestLogEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new RequestLogEntry(
                reader.GetGuid(0),
                Text(reader, 1),
                new DateTimeOffset(reader.GetFieldValue<DateTime>(2), TimeSpan.Zero),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                Text(reader, 6),
                reader.GetInt32(7),
                reader.GetDouble(8),
                reader.IsDBNull(9) ? null : reader.GetInt64(9),
                reader.IsDBNull(10) ? null : reader.GetInt64(10),
                Text(reader, 11),
                Text(reader, 12),
                Text(reader, 13),
                Text(reader, 14),
                Text(reader, 15),
                Text(reader, 16)));
        }

        if (entries.Count <= filter.Limit)
        {
            return (entries, null);
        }

        entries.RemoveAt(entries.Count - 1);
        var last = entries[^1];
        return (entries, new RequestLogCursor(last.Timestamp.UtcDateTime, last.Id));
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
