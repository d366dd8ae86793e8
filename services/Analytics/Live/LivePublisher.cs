using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using SentryFlow.Contracts.IntegrationEvents;
using StackExchange.Redis;

namespace SentryFlow.Analytics.Live;

/// <summary>
/// Sends what a batch stored (after its commit) to the project's live channels, and only to channels someone
/// watches: the records are not serialized for nobody. Best effort: Redis away loses the live frames, never a record.
/// </summary>
public sealed partial class LivePublisher(
    IConnectionMultiplexer redis, NpgsqlDataSource dataSource, LiveMetrics metrics, IOptions<JsonOptions> json, ILogger<LivePublisher> logger)
{
    /// <summary>The consumer waits no longer than this for Redis (it has records to store).</summary>
    private static readonly TimeSpan RedisTimeout = TimeSpan.FromSeconds(1);

    /// <param name="batch">The batch as delivered.</param>
    /// <param name="stored">How many of its records this delivery stored (0 for a redelivered batch).</param>
    public async Task PublishAsync(RequestRecordsAccepted batch, int stored, CancellationToken cancellationToken)
    {
        if (stored == 0 || !redis.IsConnected)
        {
            return;
        }

        var stats = LiveChannels.Stats(batch.ProjectId);
        var tail = LiveChannels.Tail(batch.ProjectId);
        try
        {
            var watchers = (RedisResult[])(await redis.GetDatabase()
                .ExecuteAsync("PUBSUB", "NUMSUB", stats.ToString(), tail.ToString())
                .WaitAsync(RedisTimeout, cancellationToken))!;
            var statsWatched = (long)watchers[1] > 0;
            var tailWatched = (long)watchers[3] > 0;
            if (!statsWatched && !tailWatched)
            {
                return;
            }

            var records = stored == batch.Records.Count ? batch.Records : await StoredAsync(batch, cancellationToken);
            var subscriber = redis.GetSubscriber();
            if (statsWatched)
            {
                await subscriber.PublishAsync(
                    stats, JsonSerializer.SerializeToUtf8Bytes(LiveBatchStats.From(records), json.Value.SerializerOptions), CommandFlags.FireAndForget);
            }

            if (tailWatched)
            {
                await subscriber.PublishAsync(
                    tail, JsonSerializer.SerializeToUtf8Bytes(records.Select(TailEntries.From).ToList(), json.Value.SerializerOptions), CommandFlags.FireAndForget);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            metrics.PublishFailures.Add(1);
            LogPublishFailed(logger, batch.ProjectId, exception.Message);
        }
    }

    /// <summary>
    /// The records of a batch this delivery stored when only some were new (others resent under a client id already
    /// stored): those whose ingest id is in the table, since a resent record is not stored under its new id.
    /// </summary>
    private async Task<IReadOnlyCollection<RequestRecord>> StoredAsync(RequestRecordsAccepted batch, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT "Id" FROM analytics."RequestRecords"
            WHERE "ProjectId" = $1 AND "Timestamp" >= $2 AND "Timestamp" <= $3 AND "Id" = ANY($4) AND "BatchId" = $5
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = batch.ProjectId });
        // The time bounds prune partitions; widened by a millisecond since PostgreSQL keeps microseconds, not ticks.
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = batch.Records.Min(r => r.Timestamp).UtcDateTime.AddMilliseconds(-1), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = batch.Records.Max(r => r.Timestamp).UtcDateTime.AddMilliseconds(1), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. batch.Records.Select(r => r.RecordId)] });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = batch.BatchId });
        var ids = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return [.. batch.Records.Where(r => ids.Remove(r.RecordId))];
    }

    [LoggerMessage(LogLevel.Warning, "Live frames of a batch for project {ProjectId} not sent: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, Guid projectId, string reason);
}
