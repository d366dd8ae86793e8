namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>An API key's settings changed (name, owner, permissions, limits, enabled, expiry).</summary>
public sealed record ApiKeyUpdated(Guid KeyId, Guid ProjectId, bool Enabled, DateTimeOffset? ExpiresAt, DateTimeOffset UpdatedAt);
