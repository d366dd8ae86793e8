namespace SentryFlow.Contracts.Authorization;

/// <summary>
/// A member's role in an organization, and so in each of its projects. Ordered: each role can do what the ones
/// below it can.
/// </summary>
public enum OrganizationRole
{
    /// <summary>Reads: dashboards, analytics, the request log.</summary>
    Viewer = 0,

    /// <summary>Works in projects: keys, policies, alert rules.</summary>
    Member = 1,

    /// <summary>Manages the organization: projects, members (up to admin), audit.</summary>
    Admin = 2,

    /// <summary>Owns the organization: everything, including owners and deletion.</summary>
    Owner = 3,
}
