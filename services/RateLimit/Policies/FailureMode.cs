namespace SentryFlow.RateLimit.Policies;

/// <summary>What a policy decides when Redis cannot answer (down, slower than the timeout, or the breaker is open).</summary>
public enum FailureMode
{
    /// <summary>Allow, limited by this instance's local in-process fallback limiter; counted in metrics. The default.</summary>
    Open = 0,

    /// <summary>Deny with 503 Service Unavailable (never 429: the caller was not over its limit).</summary>
    Closed = 1,
}
