using System.Text.Json;

namespace SentryFlow.Alerting.Notifications;

/// <summary>The body of Alertmanager's webhook (version 4), so receivers written for Alertmanager work unchanged.</summary>
public static class AlertmanagerWebhook
{
    /// <summary>Alertmanager's "no end yet".</summary>
    private static readonly DateTimeOffset Unset = new(1, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string Render(Delivery delivery, string externalUrl)
    {
        var message = delivery.Message;
        var groupLabels = new Dictionary<string, string> { ["alertname"] = message.RuleName };
        return JsonSerializer.Serialize(new
        {
            version = "4",
            groupKey = $"{{}}:{{alertname=\"{message.RuleName}\",rule_id=\"{delivery.RuleId}\"}}",
            truncatedAlerts = 0,
            status = message.Status,
            receiver = delivery.Channel.Type.ToString().ToLowerInvariant(),
            groupLabels,
            commonLabels = message.Labels,
            commonAnnotations = message.Annotations,
            externalURL = externalUrl,
            alerts = new[]
            {
                new
                {
                    status = message.Status,
                    labels = message.Labels,
                    annotations = message.Annotations,
                    startsAt = message.StartsAt,
                    endsAt = message.EndsAt ?? Unset,
                    generatorURL = $"{externalUrl}/api/projects/{delivery.ProjectId}/alerting/alerts/{delivery.AlertId}",
                    fingerprint = message.Fingerprint,
                },
            },
        });
    }
}
