namespace SentryFlow.Alerting.Notifications;

/// <summary>
/// Alertmanager's aggregation group: a rule's alerts with the same values of the rule's group labels, notified
/// together. <see cref="NextFlushAt"/> is when <see cref="GroupFlusher"/> next looks at it (the group wait after the
/// first alert, then every group interval while anything in it fires); <see cref="Notified"/> is what the receivers
/// were last told (Alertmanager's notification log), so a flush sends only when something changed or the repeat
/// interval has passed.
/// </summary>
public sealed class NotificationGroup
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid ProjectId { get; init; }

    public Guid RuleId { get; init; }

    /// <summary>The group labels rendered as Alertmanager renders a group key: <c>{alertname="…",rule_id="…"}</c>.</summary>
    public string Key { get; init; } = "";

    public Dictionary<string, string> Labels { get; init; } = [];

    /// <summary>When the group is next flushed; null while it is idle (nothing firing, nothing left to report).</summary>
    public DateTimeOffset? NextFlushAt { get; set; }

    /// <summary>When a notification last went out (for the repeat interval); null for a group not notified yet.</summary>
    public DateTimeOffset? LastSentAt { get; set; }

    /// <summary>The alerts the receivers heard of (or that were recorded as silenced), as they were then.</summary>
    public List<NotifiedAlert> Notified { get; set; } = [];
}
