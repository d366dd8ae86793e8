using System.Diagnostics.Metrics;
using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Decisions;

/// <summary>
/// The service's meter (named after the application, which ServiceDefaults exports to <c>/metrics</c>):
/// decisions by algorithm, outcome and source (<c>redis</c>, <c>local_fallback</c>, <c>failed_closed</c>), Redis
/// failures by kind, Redis latency, and whether the breaker is open.
/// </summary>
public sealed class RateLimitMetrics
{
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _redisFailures;
    private readonly Histogram<double> _redisDuration;
    private int _breakerOpen;

    // Tag values made once: the hot path does not format an enum per decision.
    private static readonly string[] AlgorithmNames = [.. Enum.GetValues<RateLimitAlgorithm>().OrderBy(a => (int)a).Select(a => a.ToString())];

    public RateLimitMetrics(IMeterFactory meters, IHostEnvironment environment)
    {
        var meter = meters.Create(environment.ApplicationName);
        _decisions = meter.CreateCounter<long>("ratelimit.decisions", "{decision}", "Rate-limit decisions made");
        _redisFailures = meter.CreateCounter<long>("ratelimit.redis.failures", "{failure}", "Decisions Redis could not answer (timeout, error, breaker open)");
        _redisDuration = meter.CreateHistogram<double>("ratelimit.redis.duration", "ms", "Time for Redis to answer a decision script");
        meter.CreateObservableGauge("ratelimit.redis.breaker_open", () => Volatile.Read(ref _breakerOpen), "{state}", "1 while the Redis circuit breaker is open");
    }

    public bool BreakerOpen => Volatile.Read(ref _breakerOpen) == 1;

    public void Decided(RateLimitAlgorithm algorithm, bool allowed, DecisionSource source) =>
        _decisions.Add(1,
            new KeyValuePair<string, object?>("algorithm", AlgorithmNames[(int)algorithm]),
            new KeyValuePair<string, object?>("outcome", allowed ? "allowed" : "rejected"),
            new KeyValuePair<string, object?>("source", source switch
            {
                DecisionSource.Redis => "redis",
                DecisionSource.LocalFallback => "local_fallback",
                _ => "failed_closed",
            }));

    public void RedisFailed(string kind) => _redisFailures.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void RedisAnswered(double milliseconds) => _redisDuration.Record(milliseconds);

    public void Breaker(bool open) => Volatile.Write(ref _breakerOpen, open ? 1 : 0);
}
