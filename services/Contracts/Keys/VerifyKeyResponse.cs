using System.Text.Json;

namespace SentryFlow.Contracts.Keys;

/// <summary>
/// The verdict on a well-formed request (always 200: a refused key is an answer, not an error). <see cref="Code"/> is
/// one of <see cref="VerifyCodes"/>; for an unknown key only <see cref="Valid"/> and <see cref="Code"/> are set.
/// </summary>
public sealed record VerifyKeyResponse(
    bool Valid,
    string Code,
    Guid? KeyId = null,
    Guid? ProjectId = null,
    string? OwnerId = null,
    JsonElement? Meta = null,
    IReadOnlyList<string>? Permissions = null,
    long? Remaining = null,
    DateTimeOffset? ExpiresAt = null,
    RateLimitVerdict? RateLimit = null);

/// <summary>The key's limit that refused the verification, and when its window ends.</summary>
public sealed record RateLimitVerdict(string Name, int Limit, DateTimeOffset ResetAt);
