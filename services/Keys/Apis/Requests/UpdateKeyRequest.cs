using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace SentryFlow.Keys.Apis.Requests;

/// <summary>Changes what is given; what is absent (null) stays. <see cref="ClearExpiry"/> and <see cref="ClearUsageLimit"/> remove those.</summary>
public sealed record UpdateKeyRequest(
    [property: MinLength(1), MaxLength(100)] string? Name = null,
    [property: MaxLength(256)] string? OwnerId = null,
    JsonElement? Meta = null,
    [property: MaxLength(100)] string[]? Permissions = null,
    bool? Enabled = null,
    DateTimeOffset? ExpiresAt = null,
    bool ClearExpiry = false,
    [property: Range(0, long.MaxValue)] long? Remaining = null,
    bool ClearUsageLimit = false,
    RefillRequest? Refill = null,
    [property: Range(0, 1_000_000)] int? Cost = null,
    [property: MaxLength(10)] RateLimitRequest[]? RateLimits = null);
