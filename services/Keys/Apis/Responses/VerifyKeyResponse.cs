using System.Text.Json;

namespace SentryFlow.Keys.Apis.Responses;

/// <summary>The verdict. For an unknown key only <see cref="Valid"/> and <see cref="Code"/> are set.</summary>
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
