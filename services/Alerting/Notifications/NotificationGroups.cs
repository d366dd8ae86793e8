using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Notifications;

/// <summary>Which notification group an alert belongs to, and a rule's group timings.</summary>
public static class NotificationGroups
{
    /// <summary>Alertmanager's <c>group_by: ['...']</c>: every label, so each alert is a group of its own.</summary>
    public const string AllLabels = "...";

    /// <summary>Without <c>groupByLabels</c> a rule's alerts (a group-by-route rule's instances too) make one group.</summary>
    public static readonly IReadOnlyList<string> Default = ["alertname", "project_id", "rule_id"];

    /// <summary>The alert's values of the rule's group labels (labels it does not have are left out, as Alertmanager does).</summary>
    public static Dictionary<string, string> LabelsOf(AlertRule rule, IReadOnlyDictionary<string, string> alertLabels)
    {
        var names = rule.GroupByLabels is { Count: > 0 } chosen ? chosen : Default;
        return names.Contains(AllLabels)
            ? new Dictionary<string, string>(alertLabels, StringComparer.Ordinal)
            : names.Where(alertLabels.ContainsKey).Distinct().ToDictionary(name => name, name => alertLabels[name], StringComparer.Ordinal);
    }

    /// <summary>The group key as Alertmanager writes it: the sorted group labels, <c>{name="value",…}</c>.</summary>
    public static string KeyOf(IReadOnlyDictionary<string, string> groupLabels) =>
        "{" + string.Join(',', groupLabels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value.Replace("\"", "\\\"", StringComparison.Ordinal)}\"")) + "}";

    public static string KeyOf(AlertRule rule, IReadOnlyDictionary<string, string> alertLabels) => KeyOf(LabelsOf(rule, alertLabels));

    public static TimeSpan Wait(AlertRule rule, AlertingOptions options) =>
        rule.GroupWaitSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.GroupWait;

    public static TimeSpan Interval(AlertRule rule, AlertingOptions options) =>
        rule.GroupIntervalSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.GroupInterval;

    public static TimeSpan Repeat(AlertRule rule, AlertingOptions options) =>
        rule.RepeatIntervalSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.RepeatInterval;
}
