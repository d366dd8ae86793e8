namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>An API key was issued. Carries no secret, only its display start.</summary>
public sealed record ApiKeyCreated(Guid KeyId, Guid ProjectId, string Name, string? OwnerId, string Start, DateTimeOffset CreatedAt);
