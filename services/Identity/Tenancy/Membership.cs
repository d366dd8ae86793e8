using SentryFlow.Contracts.Authorization;

namespace SentryFlow.Identity.Tenancy;

/// <summary>A user's role in an organization; it applies to each of the organization's projects.</summary>
public sealed class Membership
{
    public Guid OrganizationId { get; init; }

    public Guid UserId { get; init; }

    public OrganizationRole Role { get; set; }

    public DateTimeOffset JoinedAt { get; init; } = DateTimeOffset.UtcNow;
}
