namespace SentryFlow.Analytics.Storage;

/// <summary>A generic event as ingest accepted it, stored once per (project, event id).</summary>
public sealed class StoredEvent
{
    public Guid ProjectId { get; set; }

    public string EventId { get; set; } = "";

    public string Type { get; set; } = "";

    public DateTimeOffset Timestamp { get; set; }

    /// <summary>The event's JSON payload.</summary>
    public string Payload { get; set; } = "null";

    public Guid KeyId { get; set; }

    public DateTimeOffset AcceptedAt { get; set; }

    public DateTimeOffset StoredAt { get; set; }
}
