using Npgsql;
using NpgsqlTypes;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Analytics.Storage;

/// <summary>Stores a batch of generic events, once per (project, event id): a redelivered batch adds nothing.</summary>
public sealed class EventWriter(NpgsqlDataSource dataSource)
{
    private const string Insert =
        """
        INSERT INTO analytics."Events" ("ProjectId", "EventId", "Type", "Timestamp", "Payload", "KeyId", "AcceptedAt", "StoredAt")
        SELECT $1, e.id, e.type, e.ts, e.payload, $6, $7, now()
        FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::jsonb[]) AS e(id, type, ts, payload)
        ORDER BY e.id
        ON CONFLICT DO NOTHING
        """;

    public async Task<int> WriteAsync(EventsAccepted batch, CancellationToken cancellationToken)
    {
        if (batch.Events.Count == 0)
        {
            return 0;
        }

        await using var command = dataSource.CreateCommand(Insert);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = batch.ProjectId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Events.Select(e => e.EventId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Events.Select(e => e.Type)] });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]>
        {
            TypedValue = [.. batch.Events.Select(e => e.Timestamp.UtcDateTime)],
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Events.Select(e => e.Payload.GetRawText())] });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = batch.KeyId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = batch.AcceptedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
