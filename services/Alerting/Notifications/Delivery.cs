using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Notifications;

/// <summary>
/// One notification of a group to one channel, written by the group's flush (or an acknowledgement) and sent by
/// <see cref="DeliveryDispatcher"/>; what happened to it (attempts, the last error) is the delivery log.
/// </summary>
public sealed class Delivery
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid ProjectId { get; init; }

    public Guid GroupId { get; init; }

    /// <summary>The alerts it tells of (to find an alert's deliveries).</summary>
    public List<Guid> AlertIds { get; init; } = [];

    public Guid RuleId { get; init; }

    /// <summary><c>firing</c>, <c>resolved</c> or <c>acknowledged</c>.</summary>
    public string Event { get; init; } = "";

    /// <summary>The channel as it was when the notification was decided (its secret included, never shown).</summary>
    public NotificationChannel Channel { get; init; } = new();

    /// <summary>The group's alerts as the receivers will see them.</summary>
    public GroupNotification Notification { get; init; } = new();

    public DeliveryStatus Status { get; set; }

    /// <summary>HTTP attempts made so far (Polly's retries included).</summary>
    public int Attempts { get; set; }

    /// <summary>Dispatch rounds so far: each round is one retry pipeline; a failed round is tried again later.</summary>
    public int Rounds { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Until when a dispatcher holds it; another instance does not touch it before.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }
}
