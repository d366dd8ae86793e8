using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Apis.Responses;

/// <summary>A rule as the API shows it: channel secrets and routing keys are never returned, only whether they are set.</summary>
public sealed record RuleResponse(
    Guid Id,
    Guid ProjectId,
    string Name,
    RuleKind Kind,
    string Metric,
    double? Quantile,
    RuleFilters Filters,
    int WindowSeconds,
    string Condition,
    double Threshold,
    int ForSeconds,
    int KeepFiringForSeconds,
    string? GroupBy,
    double? Objective,
    SloObjective? ObjectiveKind,
    double? LatencyThresholdMs,
    string Severity,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<ChannelResponse> Channels,
    bool Enabled,
    IReadOnlyList<string>? GroupByLabels,
    int? GroupWaitSeconds,
    int? GroupIntervalSeconds,
    int? RepeatIntervalSeconds,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static RuleResponse From(AlertRule rule, ChannelSecrets secrets) => new(
        rule.Id, rule.ProjectId, rule.Name, rule.Kind, rule.Metric, rule.Quantile, rule.Filters, rule.WindowSeconds,
        RuleConditions.Symbol(rule.Condition), rule.Threshold, rule.ForSeconds, rule.KeepFiringForSeconds, rule.GroupBy,
        rule.Objective, rule.ObjectiveKind, rule.LatencyThresholdMs, rule.Severity, rule.Labels, rule.Annotations,
        [.. rule.Channels.Select(c => ChannelResponse.Of(c, secrets))],
        rule.Enabled, rule.GroupByLabels, rule.GroupWaitSeconds, rule.GroupIntervalSeconds, rule.RepeatIntervalSeconds, rule.CreatedAt, rule.UpdatedAt);
}
