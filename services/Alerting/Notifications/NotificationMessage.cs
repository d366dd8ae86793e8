namespace SentryFlow.Alerting.Notifications;

/// <summary>The alert as receivers see it (the fields of an Alertmanager alert).</summary>
public sealed class NotificationMessage
{
    public Guid AlertId { get; set; }

    /// <summary><c>firing</c> or <c>resolved</c>.</summary>
    public string Status { get; set; } = "";

    public string RuleName { get; set; } = "";

    public string Severity { get; set; } = "";

    public Dictionary<string, string> Labels { get; set; } = [];

    public Dictionary<string, string> Annotations { get; set; } = [];

    public DateTimeOffset StartsAt { get; set; }

    /// <summary>When it resolved; null while firing.</summary>
    public DateTimeOffset? EndsAt { get; set; }

    public string Fingerprint { get; set; } = "";

    public double? Value { get; set; }
}
