namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>An API key was revoked for good (by a user, or because its project was deleted).</summary>
public sealed record ApiKeyRevoked(Guid KeyId, Guid ProjectId, DateTimeOffset RevokedAt);
