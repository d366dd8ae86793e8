using System.Security.Cryptography;
using System.Text;
using SentryFlow.RateLimit.Policies;
using StackExchange.Redis;

namespace SentryFlow.RateLimit.Decisions;

/// <summary>Runs an algorithm's Lua script (<see cref="LuaScripts"/>): one <c>EVALSHA</c>, one round trip per decision.</summary>
/// <remarks>
/// The script is named by its SHA-1, computed once here: given the text, StackExchange.Redis looks its hash up by
/// hashing the whole text (a few KB) on every call, a tenth of a batch decision's CPU. When Redis does not know
/// the hash (restarted, or <c>SCRIPT FLUSH</c>), the calls that got <c>NOSCRIPT</c> are sent again with the text,
/// which loads it.
/// </remarks>
public sealed class RedisRateLimiter
{
    private readonly IConnectionMultiplexer _redis;
    private readonly Dictionary<RateLimitAlgorithm, (string Text, byte[] Hash)> _scripts;

    public RedisRateLimiter(IConnectionMultiplexer redis)
        : this(redis, LuaScripts.For)
    {
    }

    internal RedisRateLimiter(IConnectionMultiplexer redis, Func<RateLimitAlgorithm, string> scripts)
    {
        _redis = redis;
        _scripts = Enum.GetValues<RateLimitAlgorithm>().ToDictionary(a => a, a => (scripts(a), SHA1.HashData(Encoding.UTF8.GetBytes(scripts(a)))));
    }

    public bool IsConnected => _redis.IsConnected;

    /// <summary>
    /// Loads every script into each primary. Pipelined calls that meet <c>NOSCRIPT</c> part-way are sent again after
    /// the calls behind them, so they would be decided out of order; with the scripts loaded first they are not.
    /// </summary>
    public async Task LoadScriptsAsync(CancellationToken cancellationToken = default)
    {
        foreach (var server in _redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            foreach (var (text, _) in _scripts.Values)
            {
                await server.ScriptLoadAsync(text).WaitAsync(cancellationToken);
            }
        }
    }

    /// <summary>A limiter whose scripts read the time from the caller (µs): for exactness tests only.</summary>
    public static RedisRateLimiter WithTestClock(IConnectionMultiplexer redis) => new(redis, LuaScripts.ForTests);

    /// <summary>
    /// Checks and (when every limit admits) charges <paramref name="cost"/> against each limit's key. The keys are
    /// <c>rl:{policyId}:{limit name}:{identifier}</c>; the braces keep a policy's keys in one Redis Cluster slot.
    /// </summary>
    public async Task<ScriptResult> EvaluateAsync(
        RateLimitAlgorithm algorithm, string keyPrefix, string identifier, IReadOnlyList<EffectiveLimit> limits, long cost, long testNowMicros = 0)
    {
        ScriptCall[] calls = [new(algorithm, keyPrefix, identifier, limits, cost)];
        return (await ReadAllAsync(calls, [Send(_redis.GetDatabase(), calls[0], testNowMicros, byHash: true)], testNowMicros))[0];
    }

    /// <summary>
    /// Runs several scripts (see <see cref="EvaluateAsync(RateLimitAlgorithm, string, string, IReadOnlyList{EffectiveLimit}, long, long)"/>),
    /// written to Redis together in one pipelined batch: still one <c>EVALSHA</c> per decision, one round trip for all.
    /// </summary>
    public Task<ScriptResult[]> EvaluateAsync(IReadOnlyList<ScriptCall> calls)
    {
        var sent = new Task<RedisResult>[calls.Count];
        if (calls.Count == 1)
        {
            sent[0] = Send(_redis.GetDatabase(), calls[0], 0, byHash: true);
        }
        else
        {
            var batch = _redis.GetDatabase().CreateBatch();
            for (var i = 0; i < calls.Count; i++)
            {
                sent[i] = Send(batch, calls[i], 0, byHash: true);
            }

            batch.Execute();
        }

        return ReadAllAsync(calls, sent, 0);
    }

    private async Task<ScriptResult[]> ReadAllAsync(IReadOnlyList<ScriptCall> calls, Task<RedisResult>[] sent, long testNowMicros)
    {
        if (sent.Length == 1)
        {
            if (!sent[0].IsCompleted)
            {
                await ((Task)sent[0]).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        else
        {
            await Task.WhenAll((Task[])sent).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var reloading = false;
        for (var i = 0; i < sent.Length; i++)
        {
            if (sent[i].Exception?.InnerException is RedisServerException noScript && noScript.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
            {
                sent[i] = Send(_redis.GetDatabase(), calls[i], testNowMicros, byHash: false);
                reloading = true;
            }
        }

        if (reloading)
        {
            await Task.WhenAll((Task[])sent).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var results = new ScriptResult[sent.Length];
        for (var i = 0; i < sent.Length; i++)
        {
            // Completed by now: the await only rethrows a failure as itself (a RedisException or timeout the breaker counts).
            results[i] = Read(calls[i], await sent[i]);
        }

        return results;
    }

    private Task<RedisResult> Send(IDatabaseAsync redis, ScriptCall call, long testNowMicros, bool byHash)
    {
        var limits = call.Limits;
        var keys = new RedisKey[limits.Count];
        var values = new RedisValue[1 + 4 * limits.Count];
        values[0] = testNowMicros;
        for (var i = 0; i < limits.Count; i++)
        {
            var limit = limits[i];
            keys[i] = Key(call.KeyPrefix, limit.Name, call.Identifier);
            values[1 + 4 * i] = limit.Limit;
            values[2 + 4 * i] = limit.WindowMicros;
            values[3 + 4 * i] = call.Cost;
            values[4 + 4 * i] = limit.Burst;
        }

        var script = _scripts[call.Algorithm];
        return byHash ? redis.ScriptEvaluateAsync(script.Hash, keys, values) : redis.ScriptEvaluateAsync(script.Text, keys, values);
    }

    private static ScriptResult Read(ScriptCall call, RedisResult answer)
    {
        var result = (RedisResult[])answer!;
        var limits = call.Limits;
        var outcomes = new LimitOutcome[limits.Count];
        for (var i = 0; i < limits.Count; i++)
        {
            var limit = limits[i];
            outcomes[i] = new LimitOutcome(limit.Name, limit.Limit, limit.WindowSeconds,
                (long)result[1 + 3 * i], (long)result[2 + 3 * i], (long)result[3 + 3 * i]);
        }

        return new ScriptResult((long)result[0] == 1, outcomes);
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
