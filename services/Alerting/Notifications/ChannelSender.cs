using System.Globalization;
using System.Text;
using System.Text.Json;
using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Notifications;

/// <summary>Turns a delivery into the HTTP request its channel expects (or a log line for the log channel; email goes by <see cref="EmailSender"/>).</summary>
public sealed partial class ChannelSender(IConfiguration configuration, TimeProvider time, ILogger<ChannelSender> logger)
{
    /// <summary>PagerDuty's Events API v2, unless the channel names another URL (a proxy, a test receiver).</summary>
    public const string PagerDutyEventsUrl = "https://events.pagerduty.com/v2/enqueue";

    /// <summary>The request to send; null for the log channel, which is done once logged.</summary>
    /// <param name="delivery">What to send.</param>
    /// <param name="channel">The delivery's channel with its secrets in clear (see <see cref="ChannelSecrets"/>).</param>
    public HttpRequestMessage? CreateRequest(Delivery delivery, NotificationChannel channel)
    {
        switch (channel.Type)
        {
            case ChannelType.Webhook:
                var body = AlertmanagerWebhook.Render(delivery, configuration["Alerting:ExternalUrl"] ?? "http://alerting");
                var webhook = Post(channel.Url!, body);
                if (!string.IsNullOrEmpty(channel.Secret))
                {
                    webhook.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(channel.Secret, time.GetUtcNow(), body));
                }

                return webhook;
            case ChannelType.Slack:
                return Post(channel.Url!, JsonSerializer.Serialize(new { text = SlackText(delivery.Notification) }));
            case ChannelType.PagerDuty:
                return Post(channel.Url ?? PagerDutyEventsUrl, PagerDutyEvent(delivery, channel.RoutingKey));
            case ChannelType.Log:
                var notification = delivery.Notification;
                foreach (var alert in notification.Alerts)
                {
                    LogNotification(logger, alert.Status, notification.RuleName, notification.Severity, alert.Fingerprint, alert.Annotations["summary"]);
                }

                return null;
            default:
                throw new InvalidOperationException($"A {channel.Type} channel is not sent over HTTP."); // email: EmailSender
        }
    }

    private static HttpRequestMessage Post(string url, string json) =>
        new(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>Alertmanager's Slack title (<c>[FIRING:2]</c> when a group holds several alerts), then one line per alert.</summary>
    private static string SlackText(GroupNotification notification)
    {
        var icon = notification.Status == Notifier.Resolved ? ":white_check_mark:" : ":rotating_light:";
        var count = notification.Alerts.Count == 1 ? "" : $":{notification.Firing}";
        var lines = notification.Alerts.Select(a => $"{(a.Status == Notifier.Resolved ? "resolved: " : "")}{a.Annotations["summary"]}");
        return $"{icon} *[{notification.Status.ToUpperInvariant()}{count}] {notification.RuleName}* ({notification.Severity})\n{string.Join('\n', lines)}";
    }

    /// <summary>
    /// Trigger, acknowledge or resolve one incident per notification group (the group is the dedup key, as
    /// Alertmanager's PagerDuty integration does): triggered while anything in it fires, resolved when all has ended.
    /// </summary>
    private static string PagerDutyEvent(Delivery delivery, string? routingKey)
    {
        var notification = delivery.Notification;
        var action = delivery.Event switch
        {
            Notifier.Acknowledged => "acknowledge",
            _ when notification.Status == Notifier.Resolved => "resolve",
            _ => "trigger",
        };
        var first = notification.Alerts[0];
        var summary = notification.Alerts.Count == 1
            ? first.Annotations["summary"]
            : $"[{notification.Status.ToUpperInvariant()}:{notification.Firing}] {notification.RuleName}";
        return JsonSerializer.Serialize(new
        {
            routing_key = routingKey,
            event_action = action,
            dedup_key = $"{delivery.GroupId:n}",
            payload = new
            {
                summary,
                source = "sentryflow",
                severity = notification.Severity is "critical" or "error" or "warning" or "info" ? notification.Severity : "error",
                timestamp = notification.Alerts.Min(a => a.StartsAt).ToString("O", CultureInfo.InvariantCulture),
                custom_details = new { groupLabels = notification.GroupLabels, alerts = notification.Alerts.Select(a => new { a.Status, a.Labels, a.Fingerprint }) },
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Status}: {RuleName} ({Severity}, {Fingerprint}): {Summary}")]
    private static partial void LogNotification(ILogger logger, string status, string ruleName, string severity, string fingerprint, string summary);
}
