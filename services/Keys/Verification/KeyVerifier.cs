using System.Text.Json;
using SentryFlow.Contracts.Keys;
using SentryFlow.Keys.Keys;

namespace SentryFlow.Keys.Verification;

/// <summary>
/// The hot path: shape and checksum (no lookup for a malformed key), cached state, status and expiry,
/// permissions, then usage and rate limits in one Redis round trip when the key has any.
/// </summary>
public sealed class KeyVerifier(KeyStateCache cache, UsageCounter usage, VerificationRecorder recorder, TimeProvider time)
{
    private static readonly VerifyKeyResponse NotFound = new(false, VerifyCodes.NotFound);

    public async Task<VerifyKeyResponse> VerifyAsync(VerifyKeyRequest request, PermissionQuery? required, CancellationToken cancellationToken)
    {
        if (!KeySecretFormat.IsWellFormed(request.Key!))
        {
            return NotFound;
        }

        var key = await cache.GetAsync(KeySecretFormat.Hash(request.Key!), cancellationToken);
        if (key is null)
        {
            return NotFound;
        }

        if (!key.Enabled)
        {
            return Refuse(key, VerifyCodes.Disabled);
        }

        if (key.ExpiresAt <= time.GetUtcNow())
        {
            return Refuse(key, VerifyCodes.Expired);
        }

        if (required is not null && !required.IsSatisfiedBy(key.Permissions))
        {
            return Refuse(key, VerifyCodes.InsufficientScopes);
        }

        var limits = request.RateLimits is null ? key.RateLimits : [.. key.RateLimits.Where(l => request.RateLimits.Contains(l.Name))];
        long? remaining = null;
        if (key.HasUsageLimit || limits.Length > 0)
        {
            var charged = await usage.ChargeAsync(key, request.Cost ?? key.Cost, limits);
            remaining = charged.Remaining;
            if (charged.Outcome == UsageOutcome.UsageExceeded)
            {
                return Refuse(key, VerifyCodes.UsageExceeded, remaining);
            }

            if (charged.Outcome == UsageOutcome.RateLimited)
            {
                return Refuse(key, VerifyCodes.RateLimited, remaining,
                    new RateLimitVerdict(charged.FailedLimit!.Name, charged.FailedLimit.Limit, charged.ResetAt!.Value));
            }
        }

        recorder.Record(key, VerifyCodes.Valid);
        return Describe(key, true, VerifyCodes.Valid, remaining, null);
    }

    private VerifyKeyResponse Refuse(KeyState key, string code, long? remaining = null, RateLimitVerdict? limit = null)
    {
        recorder.Record(key, code);
        return Describe(key, false, code, remaining, limit);
    }

    private static VerifyKeyResponse Describe(KeyState key, bool valid, string code, long? remaining, RateLimitVerdict? limit) =>
        new(valid, code, key.KeyId, key.ProjectId, key.OwnerId,
            key.Meta is null ? null : JsonDocument.Parse(key.Meta).RootElement, key.Permissions, remaining ?? key.Remaining, key.ExpiresAt, limit);
}
