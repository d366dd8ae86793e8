namespace SentryFlow.Contracts.Analytics;

/// <summary>One group's value when a rule query is grouped; <see cref="Group"/> is empty for records without a route or consumer.</summary>
public sealed record RuleQueryGroup(string Group, double? Value, long Count);
