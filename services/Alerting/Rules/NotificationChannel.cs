namespace SentryFlow.Alerting.Rules;

/// <summary>
/// Where a rule's notifications go. <see cref="Secret"/> signs webhooks (HMAC-SHA256) or is an email channel's SMTP
/// password; like <see cref="RoutingKey"/> (PagerDuty's integration key) it is never returned by the API nor logged.
/// </summary>
public sealed class NotificationChannel
{
    public ChannelType Type { get; set; }

    public string? Url { get; set; }

    public string? Secret { get; set; }

    public string? RoutingKey { get; set; }

    /// <summary>An email channel's recipients.</summary>
    public List<string>? To { get; set; }

    /// <summary>An email channel's sender address.</summary>
    public string? From { get; set; }

    public string? SmtpHost { get; set; }

    /// <summary>The SMTP port; 25 when not set.</summary>
    public int? SmtpPort { get; set; }

    /// <summary>Whether to start TLS (STARTTLS) before sending.</summary>
    public bool SmtpTls { get; set; }

    /// <summary>The SMTP user name, when the server wants credentials (the password is <see cref="Secret"/>).</summary>
    public string? Username { get; set; }

    /// <summary>Whether <paramref name="other"/> sends the same way to the same place (both with their secrets in clear).</summary>
    public bool SameAs(NotificationChannel other) =>
        Type == other.Type && Url == other.Url && Secret == other.Secret && RoutingKey == other.RoutingKey
        && (To ?? []).SequenceEqual(other.To ?? []) && From == other.From && SmtpHost == other.SmtpHost && SmtpPort == other.SmtpPort
        && SmtpTls == other.SmtpTls && Username == other.Username;

    /// <summary>A detached copy (a delivery's snapshot).</summary>
    public NotificationChannel Copy()
    {
        var copy = (NotificationChannel)MemberwiseClone();
        copy.To = To is null ? null : [.. To];
        return copy;
    }
}
