namespace SentryFlow.Contracts.Keys;

/// <summary>
/// <c>POST http://keys/v1/keys/verify</c>: is this secret a good key (with these permissions), and charge it. Sent by
/// ingest and gateways; answered with a <see cref="VerifyKeyResponse"/>, or a 400 (<c>keys.verify_invalid</c>,
/// <c>keys.permission_query_invalid</c>) naming the field when the request itself is malformed.
/// </summary>
/// <param name="Key">The secret as presented by the caller's consumer; required, at most <see cref="MaxKeyLength"/> characters.</param>
/// <param name="Permissions">Required permissions, e.g. <c>(read OR write) AND billing</c>; at most <see cref="MaxPermissionsLength"/> characters.</param>
/// <param name="Cost">Uses to charge, 0 to <see cref="MaxCost"/>; the key's own cost when absent.</param>
/// <param name="RateLimits">The key's named limits to charge (at most <see cref="MaxRateLimits"/>); all of them when absent.</param>
public sealed record VerifyKeyRequest(string? Key, string? Permissions = null, int? Cost = null, string[]? RateLimits = null)
{
    /// <summary>No key SentryFlow issues is longer; a longer credential cannot be a key (a caller may refuse it unasked).</summary>
    public const int MaxKeyLength = 128;

    public const int MaxPermissionsLength = 1000;

    public const int MaxCost = 1_000_000;

    public const int MaxRateLimits = 20;
}
