namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>An organization was created; <paramref name="OwnerId"/> is its first owner.</summary>
public sealed record OrganizationCreated(Guid OrganizationId, string Name, Guid OwnerId, DateTimeOffset CreatedAt);
