using System.Globalization;
using System.Text;
using System.Text.Json;
using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Notifications;

/// <summary>Turns a delivery into the request its channel expects (or a log line for the log channel).</summary>
public sealed partial class ChannelSender(IConfiguration configuration, TimeProvider time, ILogger<ChannelSender> logger)
{
    /// <summary>PagerDuty's Events API v2, unless the channel names another URL (a proxy, a test receiver).</summary>
    public const string PagerDutyEventsUrl = "https://events.pagerduty.com/v2/enqueue";

    /// <summary>The request to send; null for the log channel, which is done once logged.</summary>
    public HttpRequestMessage? CreateRequest(Delivery delivery)
    {
        var channel = delivery.Channel;
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
                return Post(channel.Url!, JsonSerializer.Serialize(new { text = SlackText(delivery.Message) }));
            case ChannelType.PagerDuty:
                return Post(channel.Url ?? PagerDutyEventsUrl, PagerDutyEvent(delivery));
            default:
                var message = delivery.Message;
                LogNotification(logger, message.Status, message.RuleName, message.Severity, message.Fingerprint, message.Annotations["summary"]);
                return null;
        }
    }

    private static HttpRequestMessage Post(string url, string json) =>
        new(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static string SlackText(NotificationMessage message)
    {
        var icon = message.Status == "resolved" ? ":white_check_mark:" : ":rotating_light:";
        return $"{icon} *[{message.Status.ToUpperInvariant()}] {message.RuleName}* ({message.Severity})\n{message.Annotations["summary"]}";
    }

    /// <summary>Trigger, acknowledge or resolve, with the alert's fingerprint as the dedup key so the three meet in one incident.</summary>
    private static string PagerDutyEvent(Delivery delivery)
    {
        var message = delivery.Message;
        var action = delivery.Event switch
        {
            Notifier.Resolved => "resolve",
            Notifier.Acknowledged => "acknowledge",
            _ => "trigger",
        };
        return JsonSerializer.Serialize(new
        {
            routing_key = delivery.Channel.RoutingKey,
            event_action = action,
            dedup_key = $"{delivery.AlertId:n}-{message.Fingerprint}",
            payload = new
            {
                summary = message.Annotations["summary"],
                source = "sentryflow",
                severity = message.Severity is "critical" or "error" or "warning" or "info" ? message.Severity : "error",
                timestamp = message.StartsAt.ToString("O", CultureInfo.InvariantCulture),
                custom_details = message.Labels,
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Status}: {RuleName} ({Severity}, {Fingerprint}): {Summary}")]
    private static partial void LogNotification(ILogger logger, string status, string ruleName, string severity, string fingerprint, string summary);
}
