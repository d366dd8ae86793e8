namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>
/// A rate-limit policy (or one of its overrides) was created, changed or deleted; every rate-limit instance drops
/// its cached copy of the project's policies so the change applies without a restart.
/// </summary>
public sealed record RateLimitPolicyChanged(Guid ProjectId, Guid PolicyId, string Change, DateTimeOffset ChangedAt);
