namespace SentryFlow.Identity.Apis.Responses;

/// <summary>The signed-in user, with the organizations they belong to.</summary>
public sealed record MeResponse(Guid Id, string Email, string DisplayName, DateTimeOffset CreatedAt, IReadOnlyList<string> Roles, IReadOnlyList<OrganizationResponse> Organizations);
