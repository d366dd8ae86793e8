using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Apis.Requests;

/// <summary>A notification channel: <c>webhook</c> (url, optional secret), <c>slack</c> (url), <c>pagerDuty</c> (routingKey, optional url) or <c>log</c>.</summary>
public sealed record ChannelRequest(ChannelType Type, string? Url = null, string? Secret = null, string? RoutingKey = null);
