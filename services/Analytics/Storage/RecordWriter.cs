using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using SentryFlow.Analytics.Rollups;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Analytics.Storage;

/// <summary>
/// Stores a batch of records and merges it into the minute roll-ups, all in one transaction: binary COPY into a
/// temporary table, then one statement that claims each record's key in <c>"RecordKeys"</c> (a key already there
/// means the record was stored before: a redelivered batch or a resent record) and inserts only the records whose key
/// it claimed; the roll-ups are built from exactly those. A batch that fails half-way leaves nothing behind, and its
/// redelivery stores it once. The hours and days the batch touched are marked for <see cref="RollupFolder"/>.
/// </summary>
public sealed class RecordWriter(NpgsqlDataSource dataSource, RecordPartitions partitions, TimeProvider time)
{
    private const string Columns =
        "\"ProjectId\", \"Timestamp\", \"Id\", \"ClientId\", \"BatchId\", \"KeyId\", \"Method\", \"Host\", \"Path\", \"Route\", " +
        "\"Status\", \"DurationMs\", \"RequestSize\", \"ResponseSize\", \"Consumer\", \"ClientIp\", \"UserAgent\", \"TraceId\", " +
        "\"ErrorType\", \"ErrorMessage\", \"RequestHeaders\", \"ResponseHeaders\", \"RequestBody\", \"ResponseBody\", \"AcceptedAt\"";

    private const string Merge =
        $"""
        WITH fresh AS (
            INSERT INTO analytics."RecordKeys" ("ProjectId", "Key", "Timestamp")
            SELECT "ProjectId", "DedupeKey", "Timestamp" FROM staging_records ORDER BY "ProjectId", "DedupeKey"
            ON CONFLICT DO NOTHING
            RETURNING "ProjectId" AS "KeyProjectId", "Key")
        INSERT INTO analytics."RequestRecords" ({Columns})
        SELECT DISTINCT ON (s."ProjectId", s."DedupeKey") {Columns}
        FROM staging_records s JOIN fresh f ON f."KeyProjectId" = s."ProjectId" AND f."Key" = s."DedupeKey"
        RETURNING "Id"
        """;

    private const string RollupColumns =
        "\"ProjectId\", \"Minute\", \"Route\", \"Method\", \"Consumer\", \"StatusClass\", \"Count\", \"Errors4xx\", \"Errors5xx\", " +
        "\"BytesIn\", \"BytesOut\", \"DurationSumMs\", \"Histogram\"";

    // One statement for all of a batch's roll-up rows (copied in binary first), taking the rows' locks in key order
    // so that concurrent batches sharing rows cannot deadlock.
    private const string MergeRollups =
        $"""
        INSERT INTO analytics."MinuteRollups" AS r ({RollupColumns})
        SELECT {RollupColumns} FROM staging_rollups ORDER BY "ProjectId", "Minute", "Route", "Method", "Consumer", "StatusClass"
        ON CONFLICT ("ProjectId", "Minute", "Route", "Method", "Consumer", "StatusClass") DO UPDATE SET
            "Count" = r."Count" + excluded."Count",
            "Errors4xx" = r."Errors4xx" + excluded."Errors4xx",
            "Errors5xx" = r."Errors5xx" + excluded."Errors5xx",
            "BytesIn" = r."BytesIn" + excluded."BytesIn",
            "BytesOut" = r."BytesOut" + excluded."BytesOut",
            "DurationSumMs" = r."DurationSumMs" + excluded."DurationSumMs",
            "Histogram" = analytics.packed_histogram_add(r."Histogram", excluded."Histogram")
        """;

    // The project's totals per minute (every route, method, consumer and status class together), which answer the
    // summary and the time series in a row a minute. Each batch's rows summed first: one upsert per project and minute.
    private static readonly string AddTotals =
        $"""
        INSERT INTO analytics."ProjectMinutes" AS p ("ProjectId", "Minute", "Count", "Errors4xx", "Errors5xx", "BytesIn", "BytesOut", "DurationSumMs", "Histogram")
        {RollupFolder.Sum("SELECT * FROM staging_rollups", "\"ProjectId\", \"Minute\"")}
        ON CONFLICT ("ProjectId", "Minute") DO UPDATE SET
            "Count" = p."Count" + excluded."Count",
            "Errors4xx" = p."Errors4xx" + excluded."Errors4xx",
            "Errors5xx" = p."Errors5xx" + excluded."Errors5xx",
            "BytesIn" = p."BytesIn" + excluded."BytesIn",
            "BytesOut" = p."BytesOut" + excluded."BytesOut",
            "DurationSumMs" = p."DurationSumMs" + excluded."DurationSumMs",
            "Histogram" = analytics.packed_histogram_add(p."Histogram", excluded."Histogram")
        """;

    private const string AddLag =
        """
        INSERT INTO analytics."LagMinutes" AS l ("ProjectId", "Minute", "Count", "Histogram") VALUES ($1, $2, $3, $4)
        ON CONFLICT ("ProjectId", "Minute") DO UPDATE SET
            "Count" = l."Count" + excluded."Count",
            "Histogram" = analytics.hist_add(l."Histogram", excluded."Histogram")
        """;

    /// <summary>The key a record is stored once under.</summary>
    public static string DedupeKey(RequestRecord record) =>
        string.IsNullOrEmpty(record.ClientId) ? $"r:{record.RecordId:n}" : $"c:{record.ClientId}";

    /// <summary>Stores the batch; returns how many of its records were new.</summary>
    public async Task<int> WriteAsync(RequestRecordsAccepted batch, CancellationToken cancellationToken) =>
        (await WriteAsync([batch], cancellationToken))[0];

    /// <summary>
    /// Stores several batches (of any projects) in one transaction; returns how many of each batch's records were new
    /// (a batch given twice: its records count for the first).
    /// </summary>
    public async Task<IReadOnlyList<int>> WriteAsync(IReadOnlyList<RequestRecordsAccepted> batches, CancellationToken cancellationToken)
    {
        if (batches.All(b => b.Records.Count == 0))
        {
            return new int[batches.Count];
        }

        try
        {
            return await StoreAsync(batches, cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.CheckViolation)
        {
            // No partition for a record's day: retention (perhaps on another instance) dropped one this instance
            // thought was there. Forget them all so that the retry makes the missing one again.
            partitions.ForgetAll();
            throw;
        }
    }

    private async Task<int[]> StoreAsync(IReadOnlyList<RequestRecordsAccepted> batches, CancellationToken cancellationToken)
    {
        await partitions.EnsureAsync(batches.SelectMany(b => b.Records).Select(r => RecordPartitions.DayOf(r.Timestamp)), cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var create = new NpgsqlCommand(
            $"""CREATE TEMP TABLE staging_records ON COMMIT DROP AS SELECT {Columns}, ''::text AS "DedupeKey" FROM analytics."RequestRecords" WITH NO DATA""",
            connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var import = await connection.BeginBinaryImportAsync(
            $"COPY staging_records ({Columns}, \"DedupeKey\") FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var batch in batches)
            foreach (var record in batch.Records)
            {
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(batch.ProjectId, NpgsqlDbType.Uuid, cancellationToken);
                await import.WriteAsync(record.Timestamp.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                await import.WriteAsync(record.RecordId, NpgsqlDbType.Uuid, cancellationToken);
                await WriteTextAsync(import, record.ClientId, cancellationToken);
                await import.WriteAsync(batch.BatchId, NpgsqlDbType.Uuid, cancellationToken);
                await import.WriteAsync(batch.KeyId, NpgsqlDbType.Uuid, cancellationToken);
                await import.WriteAsync(record.Method, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(record.Host, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(record.Path, NpgsqlDbType.Text, cancellationToken);
                await WriteTextAsync(import, record.Route, cancellationToken);
                await import.WriteAsync(record.Status, NpgsqlDbType.Integer, cancellationToken);
                await import.WriteAsync(record.DurationMs, NpgsqlDbType.Double, cancellationToken);
                await WriteLongAsync(import, record.RequestSize, cancellationToken);
                await WriteLongAsync(import, record.ResponseSize, cancellationToken);
                await WriteTextAsync(import, record.Consumer, cancellationToken);
                await WriteTextAsync(import, record.ClientIp, cancellationToken);
                await WriteTextAsync(import, record.UserAgent, cancellationToken);
                await WriteTextAsync(import, record.TraceId, cancellationToken);
                await WriteTextAsync(import, record.ErrorType, cancellationToken);
                await WriteTextAsync(import, record.ErrorMessage, cancellationToken);
                await WriteJsonAsync(import, record.RequestHeaders, cancellationToken);
                await WriteJsonAsync(import, record.ResponseHeaders, cancellationToken);
                await WriteTextAsync(import, record.RequestBody, cancellationToken);
                await WriteTextAsync(import, record.ResponseBody, cancellationToken);
                await import.WriteAsync(batch.AcceptedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                await import.WriteAsync(DedupeKey(record), NpgsqlDbType.Text, cancellationToken);
            }

            await import.CompleteAsync(cancellationToken);
        }

        var fresh = new HashSet<Guid>();
        await using (var merge = new NpgsqlCommand(Merge, connection, transaction))
        await using (var reader = await merge.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                fresh.Add(reader.GetGuid(0));
            }
        }

        var stored = new int[batches.Count];
        var rollups = new List<MinuteRollup>();
        var lag = new SortedDictionary<Guid, long[]>();
        foreach (var project in batches.Select((batch, index) => (Batch: batch, Index: index)).GroupBy(b => b.Batch.ProjectId))
        {
            // Each stored record once, even when a batch and its redelivery are both here.
            var records = new List<RequestRecord>();
            foreach (var (batch, index) in project)
            {
                var before = records.Count;
                records.AddRange(batch.Records.Where(r => fresh.Remove(r.RecordId)));
                stored[index] = records.Count - before;
                if (stored[index] > 0)
                {
                    var histogram = lag.GetValueOrDefault(project.Key) ?? [];
                    LatencyHistogram.Add(ref histogram, LagMs(batch), stored[index]);
                    lag[project.Key] = histogram;
                }
            }

            rollups.AddRange(RollupBuilder.Build(project.Key, records));
        }

        if (rollups.Count > 0)
        {
            await MergeRollupsAsync(connection, transaction, rollups, cancellationToken);
            foreach (var (projectId, histogram) in lag)
            {
                await AddLagAsync(connection, transaction, projectId, histogram, cancellationToken);
            }

            // Last: the totals and marks are shared by every batch of the project's minute or hour, so their locks are
            // held only briefly.
            await using var addTotals = new NpgsqlCommand(AddTotals, connection, transaction);
            await addTotals.ExecuteNonQueryAsync(cancellationToken);
            await using var markDirty = new NpgsqlCommand(RollupFolder.MarkDirty, connection, transaction);
            await markDirty.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    private static async Task MergeRollupsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<MinuteRollup> rollups, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(
            $"""CREATE TEMP TABLE staging_rollups ON COMMIT DROP AS SELECT {RollupColumns} FROM analytics."MinuteRollups" WITH NO DATA""",
            connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var import = await connection.BeginBinaryImportAsync(
            $"COPY staging_rollups ({RollupColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var rollup in rollups)
            {
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(rollup.ProjectId, NpgsqlDbType.Uuid, cancellationToken);
                await import.WriteAsync(rollup.Minute.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                await import.WriteAsync(rollup.Route, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(rollup.Method, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(rollup.Consumer, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(rollup.StatusClass, NpgsqlDbType.Smallint, cancellationToken);
                await import.WriteAsync(rollup.Count, NpgsqlDbType.Bigint, cancellationToken);
                await import.WriteAsync(rollup.Errors4xx, NpgsqlDbType.Bigint, cancellationToken);
                await import.WriteAsync(rollup.Errors5xx, NpgsqlDbType.Bigint, cancellationToken);
                await import.WriteAsync(rollup.BytesIn, NpgsqlDbType.Bigint, cancellationToken);
                await import.WriteAsync(rollup.BytesOut, NpgsqlDbType.Bigint, cancellationToken);
                await import.WriteAsync(rollup.DurationSumMs, NpgsqlDbType.Double, cancellationToken);
                await import.WriteAsync(rollup.Histogram, NpgsqlDbType.Array | NpgsqlDbType.Bigint, cancellationToken);
            }

            await import.CompleteAsync(cancellationToken);
        }

        await using var merge = new NpgsqlCommand(MergeRollups, connection, transaction);
        await merge.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The batch's processing lag: ingest's acceptance to now.</summary>
    private double LagMs(RequestRecordsAccepted batch) => Math.Max(0, (time.GetUtcNow() - batch.AcceptedAt).TotalMilliseconds);

    /// <summary>Adds a project's processing lag histogram (of its new records) to the current minute.</summary>
    private async Task AddLagAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid projectId, long[] histogram, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var command = new NpgsqlCommand(AddLag, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = projectId });
        command.Parameters.Add(new NpgsqlParameter<DateTime>
        {
            TypedValue = new DateTime(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), DateTimeKind.Utc),
            NpgsqlDbType = NpgsqlDbType.TimestampTz,
        });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = histogram.Sum() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = histogram });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter import, string? value, CancellationToken cancellationToken) =>
        value is null ? import.WriteNullAsync(cancellationToken) : import.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Task WriteLongAsync(NpgsqlBinaryImporter import, long? value, CancellationToken cancellationToken) =>
        value is null ? import.WriteNullAsync(cancellationToken) : import.WriteAsync(value.Value, NpgsqlDbType.Bigint, cancellationToken);

    private static Task WriteJsonAsync(NpgsqlBinaryImporter import, IReadOnlyDictionary<string, string>? value, CancellationToken cancellationToken) =>
        value is null ? import.WriteNullAsync(cancellationToken) : import.WriteAsync(JsonSerializer.Serialize(value), NpgsqlDbType.Jsonb, cancellationToken);
}
