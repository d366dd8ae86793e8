namespace SentryFlow.Keys.Keys;

/// <summary>An API key a project issued to one of its consumers. The secret itself is never stored.</summary>
public sealed class ApiKey
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid ProjectId { get; init; }

    public required string Name { get; set; }

    /// <summary>The consumer it was issued to (the project's own id for them).</summary>
    public string? OwnerId { get; set; }

    /// <summary>Free-form JSON returned by verification.</summary>
    public string? Meta { get; set; }

    public List<string> Permissions { get; set; } = [];

    public bool Enabled { get; set; } = true;

    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Uses left, when the key has a usage limit (the live count is in Redis; this is its persisted copy).</summary>
    public long? Remaining { get; set; }

    public RefillInterval Refill { get; set; }

    /// <summary>What <see cref="Remaining"/> is reset to at each refill.</summary>
    public long? RefillAmount { get; set; }

    /// <summary>Uses one verification takes, unless the request says otherwise.</summary>
    public int Cost { get; set; } = 1;

    public List<KeyRateLimit> RateLimits { get; set; } = [];

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public List<ApiKeySecret> Secrets { get; init; } = [];
}
