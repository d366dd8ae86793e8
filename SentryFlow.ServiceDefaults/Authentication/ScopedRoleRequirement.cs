using Microsoft.AspNetCore.Authorization;
using SentryFlow.Contracts.Authorization;

namespace SentryFlow.ServiceDefaults.Authentication;

/// <summary>The caller holds at least <paramref name="MinimumRole"/> in the project or organization the route names.</summary>
/// <param name="ClaimType"><see cref="SentryFlowClaims.ProjectRole"/> or <see cref="SentryFlowClaims.OrganizationRole"/>.</param>
/// <param name="RouteValue">The route value that holds the id: <c>projectId</c> or <c>organizationId</c>.</param>
public sealed record ScopedRoleRequirement(string ClaimType, string RouteValue, OrganizationRole MinimumRole) : IAuthorizationRequirement
{
    public static ScopedRoleRequirement Project(OrganizationRole minimum) => new(SentryFlowClaims.ProjectRole, "projectId", minimum);

    public static ScopedRoleRequirement Organization(OrganizationRole minimum) =>
        new(SentryFlowClaims.OrganizationRole, "organizationId", minimum);
}
