using SentryFlow.Keys.Keys;
using SentryFlow.ServiceDefaults;
using StackExchange.Redis;

namespace SentryFlow.Keys.Verification;

/// <summary>
/// Charges one verification against a key's usage limit and its rate limits, in one atomic Lua script (one round
/// trip): either everything is charged or nothing is. The usage count lives in Redis (seeded from PostgreSQL on
/// first use, refilled when the refill period changes); the rate limits are fixed windows on Redis's own clock.
/// When Redis cannot answer (down, slower than the circuit's timeout, or the breaker open), verification fails open:
/// nothing is charged, the key's usage and rate limits are not enforced, and the remaining count is the last one
/// stored in PostgreSQL (<see cref="UsageOutcome.Unmetered"/>).
/// </summary>
public sealed partial class UsageCounter(IConnectionMultiplexer redis, RedisCircuit circuit, TimeProvider time, ILogger<UsageCounter> logger)
{
    // KEYS[1]: the usage hash; KEYS[2..]: one counter prefix per rate limit.
    // ARGV: cost, has usage (1/0), seed, period, refill amount (-1: none), then limit and window (ms) per rate limit.
    // Returns {outcome, remaining, failed limit index, reset ms}: outcome 0 allowed, 1 usage exceeded, 2 rate limited.
    private const string Script = """
        local cost = tonumber(ARGV[1])
        local remaining = -1
        local period = ARGV[4]
        if ARGV[2] == '1' then
          local current = redis.call('HMGET', KEYS[1], 'r', 'p')
          remaining = tonumber(current[1])
          if remaining == nil then
            remaining = tonumber(ARGV[3])
          elseif ARGV[5] ~= '-1' and current[2] ~= period then
            remaining = tonumber(ARGV[5])
          end
          if remaining < cost then
            redis.call('HSET', KEYS[1], 'r', remaining, 'p', period)
            return {1, remaining, 0, 0}
          end
        end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local windows = {}
        for i = 2, #KEYS do
          local limit = tonumber(ARGV[4 + 2 * (i - 1)])
          local window = tonumber(ARGV[5 + 2 * (i - 1)])
          local slot = math.floor(now / window)
          local counter = KEYS[i] .. ':' .. slot
          local used = tonumber(redis.call('GET', counter) or '0')
          if used + cost > limit then
            return {2, remaining, i - 1, (slot + 1) * window}
          end
          windows[i] = {counter, window}
        end
        for i = 2, #KEYS do
          redis.call('INCRBY', windows[i][1], cost)
          redis.call('PEXPIRE', windows[i][1], windows[i][2])
        end
        if ARGV[2] == '1' then
          remaining = remaining - cost
          redis.call('HSET', KEYS[1], 'r', remaining, 'p', period)
        end
        return {0, remaining, 0, 0}
        """;

    public async Task<UsageResult> ChargeAsync(KeyState key, int cost, IReadOnlyList<KeyRateLimit> limits)
    {
        var keys = new RedisKey[1 + limits.Count];
        var values = new RedisValue[5 + 2 * limits.Count];
        keys[0] = UsageKey(key.KeyId);
        values[0] = cost;
        values[1] = key.HasUsageLimit ? 1 : 0;
        values[2] = key.Remaining ?? 0;
        values[3] = Period(key.Refill);
        values[4] = key.Refill != RefillInterval.None && key.RefillAmount is { } amount ? amount : -1;
        for (var i = 0; i < limits.Count; i++)
        {
            var limit = limits[i];
            keys[1 + i] = limit.SharedByOwner && key.OwnerId is not null
                ? $"sf:krl:{key.ProjectId}:owner:{key.OwnerId}:{limit.Name}"
                : $"sf:krl:{key.KeyId}:{limit.Name}";
            values[5 + 2 * i] = limit.Limit;
            values[6 + 2 * i] = limit.DurationMs;
        }

        var evaluated = await circuit.TryAsync(database => database.ScriptEvaluateAsync(Script, keys, values));
        if (evaluated.Exception is not null)
        {
            LogUnmetered(logger, key.KeyId, evaluated.Exception.Message);
            return new UsageResult(UsageOutcome.Unmetered, key.Remaining, null, null);
        }

        var result = (RedisResult[])evaluated.Result!;
        var remaining = (long)result[1];
        return new UsageResult((UsageOutcome)(int)result[0], remaining < 0 ? null : remaining,
            (int)result[0] == 2 ? limits[(int)result[2] - 1] : null, // the script counts limits from 1
            (int)result[0] == 2 ? DateTimeOffset.FromUnixTimeMilliseconds((long)result[3]) : null);
    }

    /// <summary>Sets the live count after an admin changed <see cref="ApiKey.Remaining"/> (or clears it: no limit).</summary>
    public async Task ResetAsync(ApiKey key)
    {
        var database = redis.GetDatabase();
        if (key.Remaining is { } remaining)
        {
            await database.HashSetAsync(UsageKey(key.Id), [new("r", remaining), new("p", Period(key.Refill))]);
        }
        else
        {
            await database.KeyDeleteAsync(UsageKey(key.Id));
        }
    }

    /// <summary>The live counts of these keys (null where Redis has none).</summary>
    public async Task<long?[]> ReadAsync(IReadOnlyList<Guid> keyIds)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var reads = keyIds.Select(id => batch.HashGetAsync(UsageKey(id), "r")).ToArray();
        batch.Execute();
        var values = await Task.WhenAll(reads);
        return [.. values.Select(v => v.HasValue ? (long?)(long)v : null)];
    }

    private string Period(RefillInterval refill) => refill switch
    {
        RefillInterval.Daily => time.GetUtcNow().ToString("yyyy-MM-dd"),
        RefillInterval.Monthly => time.GetUtcNow().ToString("yyyy-MM"),
        _ => "",
    };

    private static string UsageKey(Guid keyId) => $"sf:usage:{keyId}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis could not charge key {KeyId} ({Reason}): verified without its usage and rate limits (fail open)")]
    private static partial void LogUnmetered(ILogger logger, Guid keyId, string reason);
}
