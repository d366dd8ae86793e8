namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>A firing alert resolved: by itself (its rule stopped matching) or by <see cref="ResolvedBy"/>.</summary>
public sealed record AlertResolved(Guid AlertId, Guid RuleId, Guid ProjectId, string RuleName, string GroupKey, string? ResolvedBy, DateTimeOffset ResolvedAt);
