namespace SentryFlow.Identity.Apis.Responses;

public sealed record ProjectResponse(Guid Id, Guid OrganizationId, string Name, DateTimeOffset CreatedAt);
