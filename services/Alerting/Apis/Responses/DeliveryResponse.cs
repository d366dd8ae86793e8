using SentryFlow.Alerting.Notifications;
using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Apis.Responses;

/// <summary>One line of the delivery log (the channel's secret is not in it).</summary>
public sealed record DeliveryResponse(
    Guid Id,
    Guid AlertId,
    Guid RuleId,
    string Event,
    ChannelType Channel,
    string? Url,
    DeliveryStatus Status,
    int Attempts,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    string Fingerprint)
{
    public static DeliveryResponse From(Delivery d) => new(
        d.Id, d.AlertId, d.RuleId, d.Event, d.Channel.Type, d.Channel.Url, d.Status, d.Attempts, d.LastError, d.CreatedAt, d.DeliveredAt, d.Message.Fingerprint);
}
