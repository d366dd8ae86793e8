namespace SentryFlow.Alerting.Rules;

/// <summary>What an SLO burn-rate rule's objective promises, and so which requests are its bad events.</summary>
public enum SloObjective
{
    /// <summary>Requests answered without a 5xx: the bad events are the 5xx answers.</summary>
    Availability,

    /// <summary>Requests faster than <see cref="AlertRule.LatencyThresholdMs"/>: the bad events take that long or longer.</summary>
    Latency,
}
