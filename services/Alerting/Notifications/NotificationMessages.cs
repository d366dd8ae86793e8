using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SentryFlow.Alerting.Alerts;
using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Notifications;

/// <summary>Builds what receivers see of an alert: Alertmanager's labels, annotations and fingerprint.</summary>
public static class NotificationMessages
{
    public static NotificationMessage For(AlertRule rule, Alert alert, string status)
    {
        var labels = new Dictionary<string, string>(rule.Labels, StringComparer.Ordinal)
        {
            ["alertname"] = rule.Name,
            ["severity"] = rule.Severity,
            ["project_id"] = rule.ProjectId.ToString(),
            ["rule_id"] = rule.Id.ToString(),
        };
        if (rule.GroupBy is not null)
        {
            labels[rule.GroupBy] = alert.GroupKey;
        }

        var annotations = new Dictionary<string, string>(rule.Annotations, StringComparer.Ordinal);
        var value = alert.Value?.ToString("G6", CultureInfo.InvariantCulture) ?? "no data";
        annotations["value"] = value;
        annotations.TryAdd("summary", rule.Kind == RuleKind.SloBurnRate
            ? $"{rule.Name}: error budget burning {value}x too fast"
            : $"{rule.Name}: {rule.Metric} {RuleConditions.Symbol(rule.Condition)} {rule.Threshold.ToString(CultureInfo.InvariantCulture)} (now {value})");

        return new NotificationMessage
        {
            AlertId = alert.Id,
            Status = status,
            RuleName = rule.Name,
            Severity = rule.Severity,
            Labels = labels,
            Annotations = annotations,
            StartsAt = alert.FiredAt ?? alert.UpdatedAt,
            EndsAt = status == "resolved" ? alert.ResolvedAt : null,
            Fingerprint = Fingerprint(labels),
            Value = alert.Value,
        };
    }

    /// <summary>A stable id of a label set (64 bits of SHA-256 over the sorted labels, as hex).</summary>
    public static string Fingerprint(IReadOnlyDictionary<string, string> labels)
    {
        var text = string.Join('\n', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
