namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>An API key got a new secret; the previous one works until <paramref name="PreviousSecretExpiresAt"/>.</summary>
public sealed record ApiKeyRotated(Guid KeyId, Guid ProjectId, string Start, DateTimeOffset PreviousSecretExpiresAt, DateTimeOffset RotatedAt);
