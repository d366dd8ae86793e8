namespace SentryFlow.Alerting.Evaluation;

/// <summary>A rule's value for one group (empty when the rule is not grouped): null when there was no data.</summary>
public sealed record GroupMeasurement(string Group, double? Value, bool Matches);
