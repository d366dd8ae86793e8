namespace SentryFlow.Keys.Verification;

public enum UsageOutcome
{
    Allowed = 0,
    UsageExceeded = 1,
    RateLimited = 2,
}
