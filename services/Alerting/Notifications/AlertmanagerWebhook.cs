using System.Text.Json;

namespace SentryFlow.Alerting.Notifications;

/// <summary>The body of Alertmanager's webhook (version 4), so receivers written for Alertmanager work unchanged.</summary>
public static class AlertmanagerWebhook
{
    /// <summary>Alertmanager's "no end yet".</summary>
    private static readonly DateTimeOffset Unset = new(1, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string Render(Delivery delivery, string externalUrl)
    {
        var notification = delivery.Notification;
        return JsonSerializer.Serialize(new
        {
            version = "4",
            groupKey = $"{{}}:{notification.GroupKey}",
            truncatedAlerts = 0,
            status = notification.Status,
            receiver = delivery.Channel.Type.ToString().ToLowerInvariant(),
            groupLabels = notification.GroupLabels,
            commonLabels = GroupNotification.Common(notification.Alerts.Select(a => a.Labels)),
            commonAnnotations = GroupNotification.Common(notification.Alerts.Select(a => a.Annotations)),
            externalURL = externalUrl,
            alerts = notification.Alerts.Select(alert => new
            {
                status = alert.Status,
                labels = alert.Labels,
                annotations = alert.Annotations,
                startsAt = alert.StartsAt,
                endsAt = alert.EndsAt ?? Unset,
                generatorURL = $"{externalUrl}/api/projects/{delivery.ProjectId}/alerting/alerts/{alert.AlertId}",
                fingerprint = alert.Fingerprint,
            }),
        });
    }
}
