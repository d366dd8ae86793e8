namespace SentryFlow.Alerting.Rules;

/// <summary>
/// A project's alert rule: a metric over a window compared with a threshold, held for <see cref="ForSeconds"/> before
/// it fires, kept firing for <see cref="KeepFiringForSeconds"/> after it stops matching (against flapping), one
/// alert instance per value of <see cref="GroupBy"/>.
/// </summary>
public sealed class AlertRule
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid ProjectId { get; init; }

    public string Name { get; set; } = "";

    public RuleKind Kind { get; set; }

    /// <summary>One of <c>RuleMetrics.All</c> (for <see cref="RuleKind.SloBurnRate"/>: the SLI's metric).</summary>
    public string Metric { get; set; } = "";

    public double? Quantile { get; set; }

    public RuleFilters Filters { get; set; } = new();

    public int WindowSeconds { get; set; }

    public RuleCondition Condition { get; set; }

    public double Threshold { get; set; }

    public int ForSeconds { get; set; }

    public int KeepFiringForSeconds { get; set; }

    /// <summary><c>route</c>, <c>consumer</c> or null.</summary>
    public string? GroupBy { get; set; }

    /// <summary>For <see cref="RuleKind.SloBurnRate"/>: the share of good requests promised over 30 days, e.g. 0.999.</summary>
    public double? Objective { get; set; }

    /// <summary>For <see cref="RuleKind.SloBurnRate"/>: what <see cref="Objective"/> is about (null for the other kinds).</summary>
    public SloObjective? ObjectiveKind { get; set; }

    /// <summary>
    /// For a <see cref="SloObjective.Latency"/> objective, and the <c>slowCount</c> metric: a request taking this many
    /// milliseconds or longer is slow (null otherwise).
    /// </summary>
    public double? LatencyThresholdMs { get; set; }

    public string Severity { get; set; } = "warning";

    public Dictionary<string, string> Labels { get; set; } = [];

    public Dictionary<string, string> Annotations { get; set; } = [];

    public List<NotificationChannel> Channels { get; set; } = [];

    /// <summary>The labels whose values make a notification group (Alertmanager's <c>group_by</c>); null: one group per rule.</summary>
    public List<string>? GroupByLabels { get; set; }

    /// <summary>Overrides <see cref="AlertingOptions.GroupWait"/> for this rule's groups.</summary>
    public int? GroupWaitSeconds { get; set; }

    /// <summary>Overrides <see cref="AlertingOptions.GroupInterval"/>.</summary>
    public int? GroupIntervalSeconds { get; set; }

    /// <summary>Overrides <see cref="AlertingOptions.RepeatInterval"/>.</summary>
    public int? RepeatIntervalSeconds { get; set; }

    public bool Enabled { get; set; } = true;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the rule is next due; evaluators claim due rules with a row lock (see <c>RuleEvaluator</c>).</summary>
    public DateTimeOffset NextEvaluationAt { get; set; }
}
