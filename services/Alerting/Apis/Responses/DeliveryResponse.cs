using SentryFlow.Alerting.Notifications;
using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Apis.Responses;

/// <summary>One line of the delivery log: one notification of a group to one channel (the channel's secrets are not in it, nor a Slack URL whole).</summary>
public sealed record DeliveryResponse(
    Guid Id,
    Guid RuleId,
    Guid GroupId,
    string GroupKey,
    IReadOnlyList<Guid> AlertIds,
    string Event,
    ChannelType Channel,
    string? Url,
    DeliveryStatus Status,
    int Attempts,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    IReadOnlyList<string> Fingerprints)
{
    public static DeliveryResponse From(Delivery d, ChannelSecrets secrets) => new(
        d.Id, d.RuleId, d.GroupId, d.Notification.GroupKey, d.AlertIds, d.Event, d.Channel.Type, secrets.ShownUrl(d.Channel), d.Status, d.Attempts,
        d.LastError, d.CreatedAt, d.DeliveredAt, [.. d.Notification.Alerts.Select(a => a.Fingerprint)]);
}
