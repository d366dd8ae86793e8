using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Apis.Requests;

/// <summary>A rule as a user writes it (create and replace). <see cref="Condition"/> is <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c>, <c>&lt;=</c> or <c>==</c>.</summary>
public sealed record RuleRequest(
    string? Name,
    RuleKind Kind = RuleKind.Threshold,
    string? Metric = null,
    double? Quantile = null,
    RuleFiltersRequest? Filters = null,
    int? WindowSeconds = null,
    string? Condition = null,
    double? Threshold = null,
    int ForSeconds = 0,
    int KeepFiringForSeconds = 0,
    string? GroupBy = null,
    double? Objective = null,
    string? Severity = null,
    Dictionary<string, string>? Labels = null,
    Dictionary<string, string>? Annotations = null,
    List<ChannelRequest>? Channels = null,
    bool Enabled = true);
