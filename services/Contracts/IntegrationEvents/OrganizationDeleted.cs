namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>An organization was deleted; a <see cref="ProjectDeleted"/> precedes this for each of its projects.</summary>
public sealed record OrganizationDeleted(Guid OrganizationId, DateTimeOffset DeletedAt);
