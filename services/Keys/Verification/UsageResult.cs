using SentryFlow.Keys.Keys;

namespace SentryFlow.Keys.Verification;

/// <summary>The outcome of charging a verification; <see cref="FailedLimit"/> and <see cref="ResetAt"/> when rate limited.</summary>
public sealed record UsageResult(UsageOutcome Outcome, long? Remaining, KeyRateLimit? FailedLimit, DateTimeOffset? ResetAt);
