namespace SentryFlow.Keys.Audit;

/// <summary>A change to a key: who made it, what, when. Never holds a secret.</summary>
public sealed class KeyAuditEntry
{
    public long Id { get; init; }

    public Guid KeyId { get; init; }

    public Guid ProjectId { get; init; }

    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The user or client (token subject), or <c>system</c> for changes made on an event.</summary>
    public required string Actor { get; init; }

    public required string Action { get; init; }

    public string? Detail { get; init; }
}
