using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace SentryFlow.Analytics.Queries;

/// <summary>
/// The raw request log, newest first, keyset-paged on ("Timestamp", "Id") so a page is an index range scan of the
/// primary key and the partitions outside [from, to) are pruned.
/// </summary>
public sealed class RequestLogQueries(NpgsqlDataSource dataSource)
{
    private const string EntryColumns =
        "\"Id\", \"ClientId\", \"Timestamp\", \"Method\", \"Host\", \"Path\", \"Route\", \"Status\", \"DurationMs\", \"RequestSize\", " +
        "\"ResponseSize\", \"Consumer\", \"ClientIp\", \"UserAgent\", \"TraceId\", \"ErrorType\", \"ErrorMessage\"";

    /// <summary>
    /// A page of the log: read a UTC day at a time (one partition each), newest first, until the page is full. A search
    /// over a week would otherwise find and sort its matches in every partition (seconds at millions of records), where
    /// the newest day usually holds a page of them.
    /// </summary>
    public async Task<(IReadOnlyList<RequestLogEntry> Entries, RequestLogCursor? Next)> PageAsync(
        Guid projectId, RequestLogFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // A page is a short walk down one partition's primary key: starting parallel workers for it cost more than the
        // walk (a tenth of a second on a busy machine, where the walk takes a few milliseconds).
        await using (var serial = new NpgsqlCommand("SET max_parallel_workers_per_gather = 0", connection))
        {
            await serial.ExecuteNonQueryAsync(cancellationToken);
        }

        var entries = new List<RequestLogEntry>();
        var end = filter.To;
        if (filter.Before is { } before && new DateTimeOffset(before.Timestamp.AddTicks(1), TimeSpan.Zero) < end)
        {
            end = new DateTimeOffset(before.Timestamp.AddTicks(1), TimeSpan.Zero); // the cursor's own time still holds smaller ids
        }

        while (end > filter.From && entries.Count <= filter.Limit)
        {
            var dayStart = new DateTimeOffset(end.AddTicks(-1).UtcDateTime.Date, TimeSpan.Zero);
            var start = dayStart > filter.From ? dayStart : filter.From;
            entries.AddRange(await ReadAsync(connection, projectId, filter with { From = start, To = end }, filter.Limit + 1 - entries.Count, cancellationToken));
            end = start;
        }

        if (entries.Count <= filter.Limit)
        {
            return (entries, null);
        }

        entries.RemoveAt(entries.Count - 1);
        var last = entries[^1];
        return (entries, new RequestLogCursor(last.Timestamp.UtcDateTime, last.Id));
    }

    /// <summary>The newest <paramref name="take"/> records of the project that pass <paramref name="filter"/>.</summary>
    private static async Task<List<RequestLogEntry>> ReadAsync(
        NpgsqlConnection connection, Guid projectId, RequestLogFilter filter, int take, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder($"""
            SELECT {EntryColumns}
            FROM analytics."RequestRecords"
            WHERE "ProjectId" = $1 AND "Timestamp" >= $2 AND "Timestamp" < $3
            """);
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

        if (filter.ClientIp is { } clientIp)
        {
            Where("\"ClientIp\" = @", clientIp);
        }

        if (filter.Search is { } search)
        {
            // Both sides use the indexed expressions (GIN over words, GIN trigrams over the text); the order stays by time.
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = search });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"%{EscapeLike(search)}%" });
            sql.Append($" AND ({RecordSearch.Words} @@ {RecordSearch.WordsQuery(command.Parameters.Count - 1)}")
                .Append($" OR {RecordSearch.Text} ILIKE ${command.Parameters.Count})");
        }

        if (filter.Before is { } before)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = before.Timestamp, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = before.Id });
            sql.Append($" AND (\"Timestamp\", \"Id\") < (${command.Parameters.Count - 1}, ${command.Parameters.Count})");
        }

        sql.Append($" ORDER BY \"Timestamp\" DESC, \"Id\" DESC LIMIT {take}");
        command.CommandText = sql.ToString();

        var entries = new List<RequestLogEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadEntry(reader));
        }

        return entries;
    }

    /// <summary>One record of the project, with its headers and bodies, if it is stored and not before <paramref name="notBefore"/>.</summary>
    public async Task<RequestRecordDetail?> GetAsync(Guid projectId, Guid id, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {EntryColumns}, "RequestHeaders"::text, "ResponseHeaders"::text, "RequestBody", "ResponseBody", "AcceptedAt", "StoredAt"
            FROM analytics."RequestRecords" WHERE "ProjectId" = $1 AND "Id" = $2 AND "Timestamp" >= $3
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = projectId });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = notBefore.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new RequestRecordDetail(
            ReadEntry(reader),
            Headers(reader, 17),
            Headers(reader, 18),
            Text(reader, 19),
            Text(reader, 20),
            new DateTimeOffset(reader.GetFieldValue<DateTime>(21), TimeSpan.Zero),
            new DateTimeOffset(reader.GetFieldValue<DateTime>(22), TimeSpan.Zero));
    }

    private static RequestLogEntry ReadEntry(NpgsqlDataReader reader) =>
        new(
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
            Text(reader, 16));

    private static Dictionary<string, string>? Headers(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(ordinal));

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
