using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Apis.Responses;

/// <summary>
/// A channel as the API shows it: whether a secret (webhook secret, SMTP password) or routing key is set, never its
/// value; a Slack channel's URL (its credential) as its host and last 4 characters only.
/// </summary>
public sealed record ChannelResponse(
    ChannelType Type,
    string? Url,
    bool HasSecret,
    bool HasRoutingKey,
    IReadOnlyList<string>? To,
    string? From,
    string? SmtpHost,
    int? SmtpPort,
    bool SmtpTls,
    string? Username)
{
    public static ChannelResponse Of(NotificationChannel c, ChannelSecrets secrets) => new(
        c.Type, secrets.ShownUrl(c), !string.IsNullOrEmpty(c.Secret), !string.IsNullOrEmpty(c.RoutingKey), c.To, c.From, c.SmtpHost, c.SmtpPort, c.SmtpTls, c.Username);
}
