using System.Text.Json;
using SentryFlow.Keys.Keys;

namespace SentryFlow.Keys.Apis.Responses;

/// <summary>A key as listed. <see cref="Secret"/> is set only in the answer to create and rotate.</summary>
public sealed record KeyResponse(
    Guid Id, Guid ProjectId, string Name, string Start, string? OwnerId, JsonElement? Meta, IReadOnlyList<string> Permissions, bool Enabled,
    DateTimeOffset? ExpiresAt, long? Remaining, RefillInterval Refill, long? RefillAmount, int Cost, IReadOnlyList<KeyRateLimit> RateLimits,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? LastUsedAt, string? Secret = null)
{
    public static KeyResponse From(ApiKey key, string? secret = null) => new(
        key.Id, key.ProjectId, key.Name,
        key.Secrets.Where(s => s.ExpiresAt is null).OrderByDescending(s => s.CreatedAt).Select(s => s.Start).FirstOrDefault() ?? "",
        key.OwnerId, key.Meta is null ? null : JsonDocument.Parse(key.Meta).RootElement, key.Permissions, key.Enabled, key.ExpiresAt,
        key.Remaining, key.Refill, key.RefillAmount, key.Cost, key.RateLimits, key.CreatedAt, key.UpdatedAt, key.LastUsedAt, secret);
}
