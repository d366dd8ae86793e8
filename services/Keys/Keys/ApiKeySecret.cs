namespace SentryFlow.Keys.Keys;

/// <summary>
/// A secret of a key, by its SHA-256 hash. A key has one current secret; after a rotation the previous one stays
/// valid until <see cref="ExpiresAt"/>.
/// </summary>
public sealed class ApiKeySecret
{
    public required byte[] Hash { get; init; }

    public Guid KeyId { get; init; }

    /// <summary>The prefix and the first characters, to tell keys apart in a list (e.g. <c>sf_live_3xQa</c>).</summary>
    public required string Start { get; init; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? ExpiresAt { get; set; }
}
