using SentryFlow.Contracts.Authorization;

namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>
/// A user's role in an organization changed: added (<paramref name="PreviousRole"/> null), changed, or removed
/// (<paramref name="Role"/> null).
/// </summary>
public sealed record MembershipChanged(
    Guid OrganizationId, Guid UserId, OrganizationRole? PreviousRole, OrganizationRole? Role, Guid ChangedBy, DateTimeOffset ChangedAt);
