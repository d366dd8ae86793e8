using System.ComponentModel.DataAnnotations;

namespace SentryFlow.Keys.Apis.Requests;

/// <param name="Key">The secret as presented by the caller's consumer.</param>
/// <param name="Permissions">Required permissions, e.g. <c>(read OR write) AND billing</c>.</param>
/// <param name="Cost">Uses to charge; the key's own cost when absent.</param>
/// <param name="RateLimits">The key's named limits to charge; all of them when absent.</param>
public sealed record VerifyKeyRequest(
    [property: Required, MaxLength(128)] string Key,
    [property: MaxLength(1000)] string? Permissions = null,
    [property: Range(0, 1_000_000)] int? Cost = null,
    [property: MaxLength(20)] string[]? RateLimits = null);
