namespace SentryFlow.RateLimit.Policies;

/// <summary>How a policy counts. Each is one atomic Lua script in Redis; see the README's "Rate limits" section.</summary>
public enum RateLimitAlgorithm
{
    /// <summary>A counter per aligned window of <c>windowSeconds</c>; it starts again at zero at each window's start.</summary>
    FixedWindow = 0,

    /// <summary>The exact sliding window: a log of admitted requests; at most <c>limit</c> in any window of <c>windowSeconds</c>.</summary>
    SlidingLog = 1,

    /// <summary>The weighted two-window approximation of a sliding window (previous window's count × the part of it still covered).</summary>
    SlidingWindow = 2,

    /// <summary>A bucket of <c>burst</c> tokens refilled at <c>limit</c> per <c>windowSeconds</c>; a request takes <c>cost</c> tokens.</summary>
    TokenBucket = 3,

    /// <summary>The generic cell rate algorithm as in redis-cell: token-bucket behaviour with one timestamp per key.</summary>
    Gcra = 4,
}
