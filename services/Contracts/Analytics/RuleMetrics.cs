namespace SentryFlow.Contracts.Analytics;

/// <summary>The metrics a rule can watch, as analytics' rule query names them.</summary>
public static class RuleMetrics
{
    /// <summary>Requests in the window.</summary>
    public const string RequestCount = "requestCount";

    /// <summary>Requests answered 4xx or 5xx over all requests (the analytics dashboards' definition).</summary>
    public const string ErrorRate = "errorRate";

    /// <summary>Requests answered 5xx.</summary>
    public const string Count5xx = "count5xx";

    /// <summary>The <c>quantile</c> of request durations in milliseconds.</summary>
    public const string Latency = "latency";

    /// <summary>
    /// Requests that took <c>thresholdMs</c> or longer (a latency SLO's bad events); the answer's count is all the
    /// requests, so value / count is the share of slow ones.
    /// </summary>
    public const string SlowCount = "slowCount";

    /// <summary>Requests the rate limiter rejected.</summary>
    public const string RateLimitRejections = "rateLimitRejections";

    /// <summary>Key verifications that did not pass.</summary>
    public const string KeyVerificationFailures = "keyVerificationFailures";

    /// <summary>The <c>quantile</c> of the delay from a request to its storage, in milliseconds.</summary>
    public const string IngestLag = "ingestLag";

    public static IReadOnlyList<string> All { get; } =
        [RequestCount, ErrorRate, Count5xx, Latency, SlowCount, RateLimitRejections, KeyVerificationFailures, IngestLag];

    /// <summary>Metrics that need a quantile.</summary>
    public static bool NeedsQuantile(string metric) => metric is Latency or IngestLag;

    /// <summary>Metrics that need a latency threshold.</summary>
    public static bool NeedsThreshold(string metric) => metric is SlowCount;

    /// <summary>Metrics that come from request roll-ups, and so take filters and a group-by.</summary>
    public static bool IsRequestMetric(string metric) => metric is RequestCount or ErrorRate or Count5xx or Latency or SlowCount;

    /// <summary>The group-by values a rule query accepts.</summary>
    public static IReadOnlyList<string> GroupBys { get; } = ["route", "consumer"];
}
