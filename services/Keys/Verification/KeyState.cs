using SentryFlow.Keys.Keys;

namespace SentryFlow.Keys.Verification;

/// <summary>What verification needs of a key, as cached (by secret hash) in memory and in Redis.</summary>
/// <param name="ExpiresAt">The earlier of the key's expiry and this secret's (a rotated-out secret's grace end).</param>
public sealed record KeyState(
    Guid KeyId,
    Guid ProjectId,
    string? OwnerId,
    string? Meta,
    string[] Permissions,
    bool Enabled,
    DateTimeOffset? ExpiresAt,
    long? Remaining,
    RefillInterval Refill,
    long? RefillAmount,
    int Cost,
    KeyRateLimit[] RateLimits)
{
    public bool HasUsageLimit => Remaining is not null;
}
