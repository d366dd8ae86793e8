namespace SentryFlow.RateLimit.Decisions;

/// <summary>Who made a decision.</summary>
public enum DecisionSource
{
    /// <summary>The algorithm's script in Redis: exact, shared by every instance.</summary>
    Redis = 0,

    /// <summary>Redis could not answer and the policy fails open: this instance's local limiter decided.</summary>
    LocalFallback = 1,

    /// <summary>Redis could not answer and the policy fails closed: denied, answered 503.</summary>
    FailedClosed = 2,
}
