namespace SentryFlow.ServiceDefaults;

/// <summary>
/// How a service's <see cref="RedisCircuit"/> fails fast when Redis is away (a section of the service's own, e.g.
/// <c>Keys:Redis</c>): each call waits at most <see cref="Timeout"/>, and once enough calls failed the breaker stays
/// open for <see cref="BreakDuration"/>, so calls fail at once instead of each waiting.
/// </summary>
public sealed class RedisCircuitOptions
{
    /// <summary>How long a call waits for Redis's reply before the caller's fallback applies.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long the breaker stays open before it lets a trial call through to Redis.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The breaker opens when at least this share of the calls in <see cref="SamplingDuration"/> failed...</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>...and at least this many were tried.</summary>
    public int MinimumThroughput { get; set; } = 5;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(2);
}
