namespace SentryFlow.Alerting.Apis.Requests;

public sealed record RuleFiltersRequest(string? Route = null, string? Method = null, string? Consumer = null, int? StatusClass = null);
