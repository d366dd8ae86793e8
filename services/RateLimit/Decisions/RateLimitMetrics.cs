using System.Diagnostics.Metrics;
using SentryFlow.RateLimit.Policies;
using SentryFlow.ServiceDefaults;

namespace SentryFlow.RateLimit.Decisions;

/// <summary>
/// The service's meter (named after the application, which ServiceDefaults exports to <c>/metrics</c>):
/// decisions by algorithm, outcome and source (<c>redis</c>, <c>local_fallback</c>, <c>failed_closed</c>), Redis
/// failures by kind, Redis latency (seconds), and whether the breaker is open. Each counter's series (every algorithm,
/// outcome and source; every failure kind) is exported at 0 from the start.
/// </summary>
public sealed class RateLimitMetrics
{
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _redisFailures;
    private readonly Histogram<double> _redisDuration;
    private int _breakerOpen;

    // Tag values made once: the hot path does not format an enum per decision.
    private static readonly string[] AlgorithmNames = [.. Enum.GetValues<RateLimitAlgorithm>().OrderBy(a => (int)a).Select(a => a.ToString())];
    private static readonly DecisionSource[] Sources = Enum.GetValues<DecisionSource>();

    public RateLimitMetrics(IMeterFactory meters, IHostEnvironment environment)
    {
        var meter = meters.Create(environment.ApplicationName);
        _decisions = meter.CreateCounter<long>("ratelimit.decisions", "{decision}", "Rate-limit decisions made");
        _redisFailures = meter.CreateCounter<long>("ratelimit.redis.failures", "{failure}", "Decisions Redis could not answer (timeout, error, breaker open)");
        _redisDuration = meter.CreateHistogram("ratelimit.redis.duration", ServiceMetrics.Seconds, "Time for Redis to answer a decision script",
            advice: ServiceMetrics.FastCallDuration);
        meter.CreateObservableGauge("ratelimit.redis.breaker_open", () => Volatile.Read(ref _breakerOpen), "{state}", "1 while the Redis circuit breaker is open");
        ServiceMetrics.StartAtZero(_decisions, [.. EveryDecisionKind()]);
        ServiceMetrics.StartAtZero(_redisFailures, "kind", "timeout", "error", "breaker_open");
    }

    public bool BreakerOpen => Volatile.Read(ref _breakerOpen) == 1;

    public void Decided(RateLimitAlgorithm algorithm, bool allowed, DecisionSource source) =>
        _decisions.Add(1,
            new KeyValuePair<string, object?>("algorithm", AlgorithmNames[(int)algorithm]),
            new KeyValuePair<string, object?>("outcome", allowed ? "allowed" : "rejected"),
            new KeyValuePair<string, object?>("source", SourceName(source)));

    /// <summary>One of <c>timeout</c>, <c>error</c>, <c>breaker_open</c>.</summary>
    public void RedisFailed(string kind) => _redisFailures.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void RedisAnswered(TimeSpan elapsed) => _redisDuration.Record(elapsed.TotalSeconds);

    private static KeyValuePair<string, object?>[] DecisionTags(RateLimitAlgorithm algorithm, bool allowed, DecisionSource source) =>
    [
        new("algorithm", AlgorithmNames[(int)algorithm]),
        new("outcome", allowed ? "allowed" : "rejected"),
        new("source", SourceName(source)),
    ];

    // A closed failure never admits, so that series is left out.
    private static IEnumerable<KeyValuePair<string, object?>[]> EveryDecisionKind() =>
        from algorithm in Enum.GetValues<RateLimitAlgorithm>()
        from source in Sources
        from allowed in (bool[])[true, false]
        where !(allowed && source == DecisionSource.FailedClosed)
        select DecisionTags(algorithm, allowed, source);

    private static string SourceName(DecisionSource source) => source switch
    {
        DecisionSource.Redis => "redis",
        DecisionSource.LocalFallback => "local_fallback",
        _ => "failed_closed",
    };

    public void Breaker(bool open) => Volatile.Write(ref _breakerOpen, open ? 1 : 0);
}
