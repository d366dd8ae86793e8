namespace SentryFlow.RateLimit.Decisions;

/// <summary>Configuration section <c>RateLimit</c>.</summary>
public sealed class RateLimitOptions
{
    /// <summary>
    /// How long a decision waits for Redis before the policy's failure mode applies: 50 ms, the ceiling. Tests
    /// that must stay exact on a saturated 2-core test host raise it; production should not.
    /// </summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long the breaker stays open before it lets a trial request through to Redis.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The breaker opens when at least this share of the decisions in <see cref="SamplingDuration"/> failed...</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>...and at least this many were tried.</summary>
    public int MinimumThroughput { get; set; } = 5;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often <c>RateLimitExceeded</c> summaries are published.</summary>
    public TimeSpan ExceededReportInterval { get; set; } = TimeSpan.FromSeconds(10);
}
