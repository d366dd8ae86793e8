using SentryFlow.Contracts.Authorization;

namespace SentryFlow.Identity.Apis.Responses;

/// <summary>An organization, with the caller's role in it.</summary>
public sealed record OrganizationResponse(Guid Id, string Name, DateTimeOffset CreatedAt, OrganizationRole Role);
