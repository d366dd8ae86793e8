using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Apis.Responses;

public sealed record ChannelResponse(ChannelType Type, string? Url, bool HasSecret, bool HasRoutingKey);
