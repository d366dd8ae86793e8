namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>An alert started firing (its rule's condition held for the rule's <c>for</c> duration).</summary>
public sealed record AlertFired(
    Guid AlertId, Guid RuleId, Guid ProjectId, string RuleName, string Severity, string GroupKey, double? Value,
    IReadOnlyDictionary<string, string> Labels, DateTimeOffset FiredAt);
