using SentryFlow.RateLimit.Policies;
using StackExchange.Redis;

namespace SentryFlow.RateLimit.Decisions;

/// <summary>Runs an algorithm's Lua script (<see cref="LuaScripts"/>): one <c>EVALSHA</c>, one round trip per decision.</summary>
public sealed class RedisRateLimiter
{
    private readonly IConnectionMultiplexer _redis;
    private readonly Func<RateLimitAlgorithm, string> _scripts;

    public RedisRateLimiter(IConnectionMultiplexer redis)
        : this(redis, LuaScripts.For)
    {
    }

    private RedisRateLimiter(IConnectionMultiplexer redis, Func<RateLimitAlgorithm, string> scripts)
    {
        _redis = redis;
        _scripts = scripts;
    }

    public bool IsConnected => _redis.IsConnected;

    /// <summary>A limiter whose scripts read the time from the caller (µs): for exactness tests only.</summary>
    public static RedisRateLimiter WithTestClock(IConnectionMultiplexer redis) => new(redis, LuaScripts.ForTests);

    /// <summary>
    /// Checks and (when every limit admits) charges <paramref name="cost"/> against each limit's key. The keys are
    /// <c>rl:{policyId}:{limit name}:{identifier}</c>; the braces keep a policy's keys in one Redis Cluster slot.
    /// </summary>
    public async Task<(bool Allowed, LimitOutcome[] Limits)> EvaluateAsync(
        RateLimitAlgorithm algorithm, string keyPrefix, string identifier, IReadOnlyList<EffectiveLimit> limits, long cost, long testNowMicros = 0)
    {
        var keys = new RedisKey[limits.Count];
        var values = new RedisValue[1 + 4 * limits.Count];
        values[0] = testNowMicros;
        for (var i = 0; i < limits.Count; i++)
        {
            var limit = limits[i];
            keys[i] = Key(keyPrefix, limit.Name, identifier);
            values[1 + 4 * i] = limit.Limit;
            values[2 + 4 * i] = limit.WindowMicros;
            values[3 + 4 * i] = cost;
            values[4 + 4 * i] = limit.Burst;
        }

        var result = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(_scripts(algorithm), keys, values))!;
        var outcomes = new LimitOutcome[limits.Count];
        for (var i = 0; i < limits.Count; i++)
        {
            var limit = limits[i];
            outcomes[i] = new LimitOutcome(limit.Name, limit.Limit, limit.WindowSeconds,
                (long)result[1 + 3 * i], (long)result[2 + 3 * i], (long)result[3 + 3 * i]);
        }

        return ((long)result[0] == 1, outcomes);
    }

    /// <summary>Deletes one identifier's counters for the given limits.</summary>
    public Task<long> ResetAsync(string keyPrefix, string identifier, IEnumerable<string> limitNames) =>
        _redis.GetDatabase().KeyDeleteAsync([.. limitNames.Select(name => Key(keyPrefix, name, identifier))]);

    /// <summary>Deletes every counter of a policy (SCAN, then DEL in batches), on every primary.</summary>
    public async Task<long> ResetAllAsync(string keyPrefix)
    {
        long deleted = 0;
        foreach (var server in _redis.GetServers().Where(s => !s.IsReplica && s.IsConnected))
        {
            var batch = new List<RedisKey>(500);
            await foreach (var key in server.KeysAsync(pattern: EscapeGlob(keyPrefix) + "*", pageSize: 500))
            {
                batch.Add(key);
                if (batch.Count == 500)
                {
                    deleted += await _redis.GetDatabase().KeyDeleteAsync([.. batch], CommandFlags.None);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                deleted += await _redis.GetDatabase().KeyDeleteAsync([.. batch]);
            }
        }

        return deleted;
    }

    public static string KeyPrefix(Guid policyId) => $"rl:{{{policyId:n}}}:";

    private static RedisKey Key(string prefix, string limitName, string identifier) => $"{prefix}{limitName}:{identifier}";

    private static string EscapeGlob(string value) =>
        value.Replace("\\", "\\\\").Replace("*", "\\*").Replace("?", "\\?").Replace("[", "\\[").Replace("]", "\\]");
}
