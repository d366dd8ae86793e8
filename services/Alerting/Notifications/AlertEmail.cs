using System.Globalization;
using System.Text;

namespace SentryFlow.Alerting.Notifications;

/// <summary>A group's notification as a plain-text email: Alertmanager's subject, then each alert's status, times, labels and annotations.</summary>
public static class AlertEmail
{
    public static string Subject(GroupNotification notification) =>
        notification.Status == Notifier.Resolved
            ? $"[RESOLVED] {notification.RuleName} ({notification.Severity})"
            : $"[FIRING:{notification.Firing}] {notification.RuleName} ({notification.Severity})";

    public static string Body(GroupNotification notification)
    {
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"{Subject(notification)}\n");
        body.Append(CultureInfo.InvariantCulture, $"Group: {notification.GroupKey}\n");
        var number = 0;
        foreach (var alert in notification.Alerts)
        {
            body.Append(CultureInfo.InvariantCulture, $"\nAlert {++number} of {notification.Alerts.Count}: {alert.Status}\n");
            body.Append(CultureInfo.InvariantCulture, $"  startsAt: {alert.StartsAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\n");
            if (alert.EndsAt is { } endsAt)
            {
                body.Append(CultureInfo.InvariantCulture, $"  endsAt: {endsAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\n");
            }

            body.Append(CultureInfo.InvariantCulture, $"  fingerprint: {alert.Fingerprint}\n");
            Section(body, "labels", alert.Labels);
            Section(body, "annotations", alert.Annotations);
        }

        return body.ToString();
    }

    private static void Section(StringBuilder body, string title, Dictionary<string, string> pairs)
    {
        body.Append(CultureInfo.InvariantCulture, $"  {title}:\n");
        foreach (var (name, value) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            body.Append(CultureInfo.InvariantCulture, $"    {name} = {value}\n");
        }
    }
}
