using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Decisions;

/// <summary>
/// One Lua script per algorithm. A script checks all of a policy's limits for one identifier and charges them only
/// when every limit admits the request (all-or-nothing), atomically, in one round trip.
/// </summary>
/// <remarks>
/// <para>Clock: Redis's own <c>TIME</c>, in microseconds, never the caller's, so instances with skewed clocks agree.
/// The test variant (<see cref="ForTests"/>) takes the time from <c>ARGV[1]</c> instead, so exactness tests can
/// place requests at exact instants; the service never uses it.</para>
/// <para>Arguments: <c>KEYS[i]</c> is limit i's key; <c>ARGV[1]</c> the test clock (ignored otherwise); then four per
/// limit: limit, window (µs), cost, burst. Every number kept in Redis is an integer written with
/// <c>%.0f</c> (Lua's <c>tostring</c> keeps only 14 digits). Answer: <c>{allowed, then per limit: remaining,
/// reset (µs until the limit is fully restored), retry (0: this limit admits; µs until it would; -1: never, the
/// cost exceeds the limit)}</c>. When the request is rejected nothing is charged and remaining is the current value.</para>
/// </remarks>
public static class LuaScripts
{
    // slack: ms a key outlives its state's end (TTLs are in Redis's real time, so with the test clock, whose instants
    // have nothing to do with real time, keys live a minute: a slow test host must not lose counters between calls).
    private const string RedisClock = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
        local slack = 1000
        """;

    private const string TestClock = """
        local now = tonumber(ARGV[1])
        local slack = 60000
        """;

    private const string Frame = """
        local function int(x) return string.format('%.0f', x) end
        local function ceilms(us) return math.max(1, math.ceil(us / 1000)) end
        --EVALUATE--
        local n = #KEYS
        local allowed = 1
        local out = {0}
        local commits = {}
        for i = 1, n do
          local a = 1 + (i - 1) * 4
          local ok, remaining, reset, retry, commit = evaluate(KEYS[i], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4]))
          if not ok then allowed = 0 end
          out[#out + 1] = remaining
          out[#out + 1] = math.ceil(reset)
          out[#out + 1] = math.ceil(retry)
          commits[i] = commit
        end
        if allowed == 1 then
          for i = 1, n do commits[i]() end
        else
          -- Rejected: nothing charged; report the current remaining rather than the would-be one.
          for i = 1, n do
            if out[4 + (i - 1) * 3] == 0 then
              out[2 + (i - 1) * 3] = out[2 + (i - 1) * 3] + tonumber(ARGV[1 + (i - 1) * 4 + 3])
            end
          end
        end
        out[1] = allowed
        return out
        """;

    // Fixed window: windows aligned on multiples of the window since the epoch; {w = window index, c = count}.
    private const string FixedWindow = """
        local function evaluate(key, limit, window, cost, burst)
          local idx = math.floor(now / window)
          local s = redis.call('HMGET', key, 'w', 'c')
          local count = 0
          if tonumber(s[1]) == idx then count = tonumber(s[2]) end
          local reset = (idx + 1) * window - now
          if count == 0 then reset = 0 end
          if count + cost <= limit then
            local after = count + cost
            local fresh = (idx + 1) * window - now
            return true, limit - after, after > 0 and fresh or 0, 0, function()
              if cost > 0 or count > 0 then
                redis.call('HSET', key, 'w', int(idx), 'c', int(after))
                -- The expiry is the window's end: already set by this window's first charge.
                if count == 0 then redis.call('PEXPIRE', key, ceilms(fresh) + slack) end
              end
            end
          end
          local retry = -1
          if cost <= limit then retry = (idx + 1) * window - now end
          return false, limit - count, reset, retry, nil
        end
        """;

    // Sliding window log: a sorted set of admitted units scored by time; a unit counts while now - t < window.
    private const string SlidingLog = """
        local function evaluate(key, limit, window, cost, burst)
          redis.call('ZREMRANGEBYSCORE', key, '-inf', int(now - window))
          local count = redis.call('ZCARD', key)
          local reset = 0
          if count > 0 then
            local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
            reset = tonumber(newest[2]) + window - now
          end
          if count + cost <= limit then
            local after = count + cost
            return true, limit - after, cost > 0 and window or reset, 0, function()
              if cost > 0 then
                local stamp = int(now)
                for j = 1, cost do redis.call('ZADD', key, stamp, stamp .. ':' .. (count + j)) end
                redis.call('PEXPIRE', key, ceilms(window) + slack)
              end
            end
          end
          local retry = -1
          if cost <= limit then
            -- The (count + cost - limit)-th oldest unit must leave the window first.
            local k = count + cost - limit - 1
            local e = redis.call('ZRANGE', key, k, k, 'WITHSCORES')
            retry = tonumber(e[2]) + window - now
          end
          return false, limit - count, reset, retry, nil
        end
        """;

    // Sliding window counter: {w = current window index, c = its count, p = the previous window's count};
    // estimate = floor(p * share of the previous window still inside the sliding window) + c, rounded down as Unkey
    // does: with the exact fraction a caller sending exactly L evenly per window had about one request per window
    // rejected (the previous window's share is never quite 0 before the boundary), 18 % of its requests at L = 5.
    // Each aligned window still admits at most L, so any window of length W admits fewer than 2 L.
    private const string SlidingWindow = """
        local function evaluate(key, limit, window, cost, burst)
          local idx = math.floor(now / window)
          local s = redis.call('HMGET', key, 'w', 'c', 'p')
          local w = tonumber(s[1])
          local cur, prev = 0, 0
          if w == idx then cur = tonumber(s[2]); prev = tonumber(s[3]) or 0
          elseif w == idx - 1 then prev = tonumber(s[2]) end
          local elapsed = now - idx * window
          local toEnd = window - elapsed
          local estimate = math.floor(prev * toEnd / window) + cur
          local function resetOf(c, p)
            if c > 0 then return toEnd + window elseif p > 0 then return toEnd else return 0 end
          end
          if estimate + cost <= limit then
            return true, limit - estimate - cost, resetOf(cur + cost, prev), 0, function()
              if cost > 0 or cur > 0 or prev > 0 then
                redis.call('HSET', key, 'w', int(idx), 'c', int(cur + cost), 'p', int(prev))
                -- The expiry is the next window's end: already set by the first write in this window.
                if w ~= idx then redis.call('PEXPIRE', key, ceilms(toEnd + window) + slack) end
              end
            end
          end
          local retry = -1
          if cost <= limit then
            if cur + cost <= limit then
              -- floor(prev * (window - e) / window) <= k = limit - cur - cost, i.e. prev * (window - e) / window < k + 1:
              -- the first whole µs e after window - (k + 1) * window / prev.
              retry = math.max(1, math.floor(window - (limit - cur - cost + 1) * window / prev) + 1 - elapsed)
            else
              -- Next window: cur becomes the previous count, and nothing is counted in it yet.
              retry = toEnd + math.max(0, math.floor(window - (limit - cost + 1) * window / cur) + 1)
            end
          end
          return false, math.max(0, limit - estimate), resetOf(cur, prev), retry, nil
        end
        """;

    // Token bucket: tokens are kept multiplied by the window (µs) so the refill (limit per window) is an exact
    // integer: t = tokens * window, refilled by elapsed µs * limit, capacity burst * window. {t, ts}.
    private const string TokenBucket = """
        local function evaluate(key, limit, window, cost, burst)
          local cap = burst * window
          local s = redis.call('HMGET', key, 't', 'ts')
          local tokens = cap
          if s[1] then
            local elapsed = now - tonumber(s[2])
            if elapsed < 0 then elapsed = 0 end
            tokens = math.min(cap, tonumber(s[1]) + elapsed * limit)
          end
          local need = cost * window
          if tokens >= need then
            local left = tokens - need
            local reset = math.ceil((cap - left) / limit)
            return true, math.floor(left / window), reset, 0, function()
              if left < cap then
                redis.call('HSET', key, 't', int(left), 'ts', int(now))
                redis.call('PEXPIRE', key, ceilms(reset) + slack)
              else
                redis.call('DEL', key)
              end
            end
          end
          local retry = -1
          if cost <= burst then retry = math.ceil((need - tokens) / limit) end
          return false, math.floor(tokens / window), math.ceil((cap - tokens) / limit), retry, nil
        end
        """;

    // GCRA as redis-cell computes it: emission interval T = window / limit, tolerance = T * burst
    // (redis-cell's max_burst + 1); one theoretical arrival time (TAT) per key.
    private const string Gcra = """
        local function evaluate(key, limit, window, cost, burst)
          local T = math.floor(window / limit)
          local dvt = T * burst
          local increment = T * cost
          local stored = redis.call('GET', key)
          local tat = now
          if stored then tat = tonumber(stored) end
          local newTat
          if now > tat then newTat = now + increment else newTat = tat + increment end
          local diff = now - (newTat - dvt)
          local ok, ttl, retry
          if diff < 0 then
            ok = false
            retry = -1
            if increment <= dvt then retry = -diff end
            ttl = tat - now
          else
            ok = true
            retry = 0
            ttl = newTat - now
          end
          if ttl < 0 then ttl = 0 end
          local nxt = dvt - ttl
          local remaining = 0
          if nxt > 0 then remaining = math.floor(nxt / T) end
          return ok, remaining, ttl, retry, function()
            if increment > 0 or (stored and tat > now) then
              redis.call('SET', key, int(newTat), 'PX', ceilms(newTat - now) + slack)
            end
          end
        end
        """;

    private static readonly Dictionary<RateLimitAlgorithm, string> Production = Build(RedisClock);
    private static readonly Dictionary<RateLimitAlgorithm, string> Tests = Build(TestClock);

    /// <summary>The script the service runs: the clock is Redis's <c>TIME</c>.</summary>
    public static string For(RateLimitAlgorithm algorithm) => Production[algorithm];

    /// <summary>The same script with the clock taken from <c>ARGV[1]</c> (µs), for exactness tests only.</summary>
    public static string ForTests(RateLimitAlgorithm algorithm) => Tests[algorithm];

    private static Dictionary<RateLimitAlgorithm, string> Build(string clock) => new()
    {
        [RateLimitAlgorithm.FixedWindow] = Compose(clock, FixedWindow),
        [RateLimitAlgorithm.SlidingLog] = Compose(clock, SlidingLog),
        [RateLimitAlgorithm.SlidingWindow] = Compose(clock, SlidingWindow),
        [RateLimitAlgorithm.TokenBucket] = Compose(clock, TokenBucket),
        [RateLimitAlgorithm.Gcra] = Compose(clock, Gcra),
    };

    private static string Compose(string clock, string evaluate) => clock + "\n" + Frame.Replace("--EVALUATE--", evaluate, StringComparison.Ordinal);
}
