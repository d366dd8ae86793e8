namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>A project was created inside an organization.</summary>
public sealed record ProjectCreated(Guid ProjectId, Guid OrganizationId, string Name, DateTimeOffset CreatedAt);
