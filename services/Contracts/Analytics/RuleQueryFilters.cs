namespace SentryFlow.Contracts.Analytics;

/// <summary>Restricts a rule query to the requests that match every given field (null: any).</summary>
/// <param name="StatusClass">1 to 5 (5 for 5xx).</param>
public sealed record RuleQueryFilters(string? Route = null, string? Method = null, string? Consumer = null, int? StatusClass = null);
