using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace SentryFlow.Keys.Apis.Requests;

/// <param name="Prefix">The secret's prefix (default <c>sf</c>): 2 to 16 lower-case letters and digits.</param>
/// <param name="Environment"><c>live</c> (default) or <c>test</c>.</param>
/// <param name="Remaining">A usage limit: how many uses the key has.</param>
/// <param name="Cost">Uses one verification takes (default 1).</param>
public sealed record CreateKeyRequest(
    [property: Required, MinLength(1), MaxLength(100)] string Name,
    [property: RegularExpression("^[a-z][a-z0-9]{1,15}$")] string? Prefix = null,
    [property: RegularExpression("^(live|test)$")] string? Environment = null,
    [property: MaxLength(256)] string? OwnerId = null,
    JsonElement? Meta = null,
    [property: MaxLength(100)] string[]? Permissions = null,
    bool Enabled = true,
    DateTimeOffset? ExpiresAt = null,
    [property: Range(0, long.MaxValue)] long? Remaining = null,
    RefillRequest? Refill = null,
    [property: Range(0, 1_000_000)] int Cost = 1,
    [property: MaxLength(10)] RateLimitRequest[]? RateLimits = null);
