namespace SentryFlow.Keys.Verification;

public enum UsageOutcome
{
    Allowed = 0,
    UsageExceeded = 1,
    RateLimited = 2,

    /// <summary>Redis could not charge: allowed without the usage and rate limits (fail open), nothing charged.</summary>
    Unmetered = 3,
}
