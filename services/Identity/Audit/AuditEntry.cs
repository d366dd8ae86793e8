namespace SentryFlow.Identity.Audit;

/// <summary>A security-relevant action: who did what, to what, when, from where, and whether it worked.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }

    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The organization it concerns; null for account-level actions (sign-in, password change).</summary>
    public Guid? OrganizationId { get; init; }

    /// <summary>The acting user or client; null when unknown (a sign-in with an unknown email).</summary>
    public string? Actor { get; init; }

    /// <summary>The user the action concerns (for account actions, the account signed into).</summary>
    public Guid? SubjectUserId { get; init; }

    public required string Action { get; init; }

    public string? Target { get; init; }

    public bool Succeeded { get; init; }

    public string? IpAddress { get; init; }

    public string? UserAgent { get; init; }
}
