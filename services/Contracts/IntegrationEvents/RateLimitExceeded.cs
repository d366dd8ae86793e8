namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>
/// A summary of the requests one identifier had rejected by one policy during a reporting interval (batched: one
/// event per policy and identifier per interval, not one per rejection), for analytics and alerting.
/// </summary>
/// <param name="ProjectId">The policy's project.</param>
/// <param name="PolicyId">The policy.</param>
/// <param name="PolicyName">The policy's name.</param>
/// <param name="LimitName">The limit that rejected the last of these requests.</param>
/// <param name="Identifier">The partition identifier (e.g. <c>keyId=…</c>); never a secret, since API keys are named by id.</param>
/// <param name="Rejected">How many requests were rejected in the interval.</param>
/// <param name="FirstRejectedAt">The first rejection in the interval.</param>
/// <param name="LastRejectedAt">The last rejection in the interval.</param>
public sealed record RateLimitExceeded(
    Guid ProjectId,
    Guid PolicyId,
    string PolicyName,
    string LimitName,
    string Identifier,
    long Rejected,
    DateTimeOffset FirstRejectedAt,
    DateTimeOffset LastRejectedAt);
