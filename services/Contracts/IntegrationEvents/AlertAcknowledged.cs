namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>A user acknowledged a firing alert: someone is on it; a re-fire stays quiet until it is resolved.</summary>
public sealed record AlertAcknowledged(Guid AlertId, Guid RuleId, Guid ProjectId, string RuleName, string AcknowledgedBy, DateTimeOffset AcknowledgedAt);
