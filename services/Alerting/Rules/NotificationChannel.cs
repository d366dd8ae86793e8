namespace SentryFlow.Alerting.Rules;

/// <summary>
/// Where a rule's notifications go. <see cref="Secret"/> signs webhooks (HMAC-SHA256) and is never returned by the
/// API; <see cref="RoutingKey"/> is PagerDuty's integration key; <see cref="To"/> is an email address.
/// </summary>
public sealed class NotificationChannel
{
    public ChannelType Type { get; set; }

    public string? Url { get; set; }

    public string? Secret { get; set; }

    public string? RoutingKey { get; set; }

    public string? To { get; set; }

    /// <summary>A detached copy (a delivery's snapshot).</summary>
    public NotificationChannel Copy() => (NotificationChannel)MemberwiseClone();
}
