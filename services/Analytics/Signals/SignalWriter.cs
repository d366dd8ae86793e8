using Npgsql;
using NpgsqlTypes;

namespace SentryFlow.Analytics.Signals;

/// <summary>
/// Adds signal counts to <c>"SignalMinutes"</c> once per bus message: the message id is claimed in
/// <c>"ProcessedMessages"</c> in the same transaction, so a redelivered message adds nothing.
/// </summary>
public sealed class SignalWriter(NpgsqlDataSource dataSource)
{
    private const string Claim =
        """INSERT INTO analytics."ProcessedMessages" ("MessageId", "ProcessedAt") VALUES ($1, now()) ON CONFLICT DO NOTHING""";

    private const string Add =
        """
        INSERT INTO analytics."SignalMinutes" AS s ("ProjectId", "Minute", "Signal", "Count")
        SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::bigint[])
        ON CONFLICT ("ProjectId", "Minute", "Signal") DO UPDATE SET "Count" = s."Count" + excluded."Count"
        """;

    /// <summary>Adds <paramref name="counts"/> unless message <paramref name="messageId"/> was processed before; returns whether it added them.</summary>
    public async Task<bool> AddAsync(Guid messageId, IEnumerable<SignalCount> counts, CancellationToken cancellationToken)
    {
        // One row per key (unnest may not touch a row twice in one statement), in a fixed order (no deadlocks).
        var rows = counts
            .Where(c => c.Count > 0)
            .GroupBy(c => (c.ProjectId, Minute: MinuteOf(c.Minute), c.Signal))
            .Select(g => new SignalCount(g.Key.ProjectId, g.Key.Minute, g.Key.Signal, g.Sum(c => c.Count)))
            .OrderBy(c => c.ProjectId).ThenBy(c => c.Minute).ThenBy(c => c.Signal, StringComparer.Ordinal)
            .ToList();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var claim = new NpgsqlCommand(Claim, connection, transaction))
        {
            claim.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
            if (await claim.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        if (rows.Count > 0)
        {
            await using var add = new NpgsqlCommand(Add, connection, transaction);
            add.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. rows.Select(r => r.ProjectId)] });
            add.Parameters.Add(new NpgsqlParameter<DateTime[]>
            {
                TypedValue = [.. rows.Select(r => r.Minute.UtcDateTime)],
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
            });
            add.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.Signal)] });
            add.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. rows.Select(r => r.Count)] });
            await add.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static DateTimeOffset MinuteOf(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
}
