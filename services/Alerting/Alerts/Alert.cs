namespace SentryFlow.Alerting.Alerts;

/// <summary>
/// One alert instance: a rule's state for one group (<see cref="GroupKey"/> is the route or consumer when the rule
/// is grouped, empty otherwise). It lives as long as its rule and moves through <see cref="AlertState"/>; each move
/// is kept in <see cref="AlertTransition"/>.
/// </summary>
public sealed class Alert
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid RuleId { get; init; }

    public Guid ProjectId { get; init; }

    public string GroupKey { get; init; } = "";

    public AlertState State { get; set; }

    public double? Value { get; set; }

    /// <summary>Since when the condition has held without a break (pending and firing).</summary>
    public DateTimeOffset? ActiveSince { get; set; }

    /// <summary>The last evaluation at which the condition held (for keepFiringFor).</summary>
    public DateTimeOffset? LastMatchedAt { get; set; }

    public DateTimeOffset? FiredAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>Who resolved it by hand (null when it resolved by itself).</summary>
    public string? ResolvedBy { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public string? AcknowledgedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>PostgreSQL's xmin: an evaluation and a user's acknowledgement never overwrite each other.</summary>
    public uint Version { get; set; }

    /// <summary>When the acknowledgement lapses (null: it lasts until the alert is resolved by hand).</summary>
    public DateTimeOffset? AcknowledgementExpiresAt { get; set; }

    /// <summary>Whether a user acknowledged it, has not resolved it since, and the acknowledgement has not lapsed: it is then not notified.</summary>
    public bool IsAcknowledgedAt(DateTimeOffset now) => AcknowledgedAt is not null && !(AcknowledgementExpiresAt <= now);
}
