using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Apis.Requests;

/// <summary>
/// A rule as a user writes it (create and replace). <see cref="Condition"/> is <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c>,
/// <c>&lt;=</c> or <c>==</c>. <see cref="GroupByLabels"/> and the three group timings are Alertmanager's route
/// settings for this rule's notifications (null: one group per rule, and the service's default timings).
/// <see cref="ObjectiveKind"/> (SLO rules only, default availability) and <see cref="LatencyThresholdMs"/> (a latency
/// objective's threshold, or the <c>slowCount</c> metric's) are refused where they do not apply.
/// </summary>
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
    List<ChannelRequest?>? Channels = null,
    bool Enabled = true,
    List<string>? GroupByLabels = null,
    int? GroupWaitSeconds = null,
    int? GroupIntervalSeconds = null,
    int? RepeatIntervalSeconds = null,
    SloObjective? ObjectiveKind = null,
    double? LatencyThresholdMs = null);
