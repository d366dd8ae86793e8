namespace SentryFlow.Keys.Keys;

/// <summary>
/// A named fixed-window limit a key carries: at most <see cref="Limit"/> uses per <see cref="DurationMs"/>.
/// When <see cref="SharedByOwner"/>, all keys of the same owner in the project draw from one counter.
/// </summary>
public sealed class KeyRateLimit
{
    public required string Name { get; set; }

    public int Limit { get; set; }

    public long DurationMs { get; set; }

    public bool SharedByOwner { get; set; }
}
