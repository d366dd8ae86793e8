using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SentryFlow.Contracts.IntegrationEvents;
using StackExchange.Redis;

namespace SentryFlow.Analytics.Caching;

/// <summary>
/// Query answers kept briefly in Redis, per project, endpoint and normalized parameters. Answers expire by their TTL,
/// and an answer is not served when records for a minute it covers were stored after it was computed: the consumer
/// notes, per project, which minutes it wrote when (a sorted set, minute → time written), so an answer over a settled
/// range stays cached while today's traffic flows, yet late records show at once. Redis failing never fails a query:
/// it is then answered from PostgreSQL and the failure counted.
/// </summary>
public sealed partial class QueryCache(
    IConnectionMultiplexer redis, IOptions<QueryCacheOptions> options, QueryCacheMetrics metrics, TimeProvider time, ILogger<QueryCache> logger)
{
    public bool Enabled => options.Value.Enabled;

    public static string AnswerKeyPrefix(Guid projectId) => $"sf:analytics:cache:{projectId:n}:";

    public static RedisKey WritesKey(Guid projectId) => $"sf:analytics:written:{projectId:n}";

    /// <summary>
    /// The question a query asks: <paramref name="from"/> and <paramref name="to"/> as parsed (the defaults filled in),
    /// the other parameters sorted; <paramref name="margin"/> widens the minutes it depends on (a time series' buckets
    /// reach beyond the range to whole intervals).
    /// </summary>
    public CachedQuestion Ask(Guid projectId, string path, IQueryCollection query, DateTimeOffset from, DateTimeOffset to, TimeSpan margin)
    {
        var text = new StringBuilder(path.ToLowerInvariant())
            .Append('?').Append(from.ToUnixTimeSeconds()).Append('-').Append(to.ToUnixTimeSeconds());
        foreach (var (name, values) in query
            .Where(p => !p.Key.Equals("from", StringComparison.OrdinalIgnoreCase) && !p.Key.Equals("to", StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.Key.ToLowerInvariant(), StringComparer.Ordinal))
        {
            text.Append('&').Append(Uri.EscapeDataString(name.ToLowerInvariant())).Append('=').Append(Uri.EscapeDataString(values.ToString()));
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        var settled = to <= time.GetUtcNow() - options.Value.SettledAfter;
        return new CachedQuestion(
            projectId, AnswerKeyPrefix(projectId) + hash, from - margin, to + margin, settled ? options.Value.SettledTtl : options.Value.RecentTtl);
    }

    public async Task<CacheLookup> GetAsync(CachedQuestion question)
    {
        if (!redis.IsConnected)
        {
            return Failed(question, "not connected");
        }

        try
        {
            // One round trip: the answer, and the minutes written recently enough to matter to any live answer.
            var database = redis.GetDatabase();
            var answer = database.StringGetAsync(question.Key);
            var writes = database.SortedSetRangeByScoreWithScoresAsync(
                WritesKey(question.ProjectId), start: (time.GetUtcNow() - KeepWrites).ToUnixTimeMilliseconds());
            await Task.WhenAll(answer, writes).WaitAsync(options.Value.RedisTimeout);

            byte[]? value = answer.Result;
            if (value is null || value.Length < sizeof(long))
            {
                return Count(CacheLookup.Miss, null);
            }

            var computedAt = BinaryPrimitives.ReadInt64LittleEndian(value);
            var (from, to) = (question.CoversFrom.ToUnixTimeSeconds(), question.CoversTo.ToUnixTimeSeconds());
            if (writes.Result.Any(w => w.Score >= computedAt && (long)w.Element >= from && (long)w.Element < to))
            {
                return Count(CacheLookup.Stale, null);
            }

            return Count(CacheLookup.Hit, value[sizeof(long)..]);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return Failed(question, exception.Message);
        }
    }

    /// <summary>Keeps an answer for its TTL; <paramref name="computedAt"/> is when its computation began.</summary>
    public void Store(CachedQuestion question, DateTimeOffset computedAt, byte[] json)
    {
        if (!redis.IsConnected)
        {
            return;
        }

        var value = new byte[sizeof(long) + json.Length];
        BinaryPrimitives.WriteInt64LittleEndian(value, computedAt.ToUnixTimeMilliseconds());
        json.CopyTo(value, sizeof(long));
        _ = redis.GetDatabase().StringSetAsync(question.Key, value, question.Ttl, flags: CommandFlags.FireAndForget);
    }

    /// <summary>Notes (without waiting) the minutes a batch wrote, so that cached answers covering them are not served.</summary>
    public void MarkWritten(RequestRecordsAccepted batch, int stored)
    {
        if (stored == 0 || !options.Value.Enabled || !redis.IsConnected)
        {
            return;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var minutes = batch.Records
            .Select(r => r.Timestamp.ToUnixTimeSeconds() - (r.Timestamp.ToUnixTimeSeconds() % 60))
            .Distinct()
            .Select(minute => new SortedSetEntry(minute, now))
            .ToArray();
        var key = WritesKey(batch.ProjectId);
        var writes = redis.GetDatabase().CreateBatch();
        _ = writes.SortedSetAddAsync(key, minutes, SortedSetWhen.GreaterThan, CommandFlags.FireAndForget);
        _ = writes.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, now - KeepWrites.TotalMilliseconds, flags: CommandFlags.FireAndForget);
        _ = writes.KeyExpireAsync(key, KeepWrites, flags: CommandFlags.FireAndForget);
        writes.Execute();
    }

    /// <summary>A write older than the longest TTL cannot matter to any answer still kept.</summary>
    private TimeSpan KeepWrites => (options.Value.SettledTtl > options.Value.RecentTtl ? options.Value.SettledTtl : options.Value.RecentTtl) + TimeSpan.FromSeconds(10);

    private CacheLookup Count(string outcome, byte[]? answer)
    {
        metrics.Lookups.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        return new CacheLookup(outcome, answer);
    }

    private CacheLookup Failed(CachedQuestion question, string reason)
    {
        metrics.Failures.Add(1);
        LogRedisFailed(logger, question.ProjectId, reason);
        return Count(CacheLookup.Bypass, null);
    }

    [LoggerMessage(LogLevel.Warning, "Query cache skipped for project {ProjectId}, answering from PostgreSQL: {Reason}")]
    private static partial void LogRedisFailed(ILogger logger, Guid projectId, string reason);
}
