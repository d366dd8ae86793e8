namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>A project was deleted; services drop or stop serving what belongs to it (its keys, its policies).</summary>
public sealed record ProjectDeleted(Guid ProjectId, Guid OrganizationId, DateTimeOffset DeletedAt);
