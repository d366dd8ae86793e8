using SentryFlow.Contracts.Authorization;

namespace SentryFlow.Identity.Apis.Responses;

public sealed record MemberResponse(Guid UserId, string Email, string DisplayName, OrganizationRole Role, DateTimeOffset JoinedAt);
