using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Apis.Requests;

/// <summary>
/// A notification channel: <c>webhook</c> (url, optional secret), <c>slack</c> (url), <c>pagerDuty</c> (routingKey,
/// optional url), <c>email</c> (to, from, smtpHost, optional smtpPort, smtpTls, username and password) or <c>log</c>.
/// </summary>
public sealed record ChannelRequest(
    ChannelType Type,
    string? Url = null,
    string? Secret = null,
    string? RoutingKey = null,
    List<string>? To = null,
    string? From = null,
    string? SmtpHost = null,
    int? SmtpPort = null,
    bool SmtpTls = false,
    string? Username = null,
    string? Password = null);
