using Microsoft.AspNetCore.Authorization;
using SentryFlow.Contracts.Authorization;

namespace SentryFlow.ServiceDefaults.Authentication;

/// <summary>
/// The authorization policies every service shares. The project and organization policies read the
/// <c>{projectId}</c> or <c>{organizationId}</c> route value and require the caller's role there, from the token.
/// </summary>
public static class SentryFlowPolicies
{
    public const string PlatformAdmin = "platform-admin";
    public const string InternalService = "internal-service";
    public const string ProjectViewer = "project-viewer";
    public const string ProjectMember = "project-member";
    public const string ProjectAdmin = "project-admin";
    public const string OrganizationViewer = "organization-viewer";
    public const string OrganizationAdmin = "organization-admin";

    public static AuthorizationBuilder AddSentryFlowPolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(PlatformAdmin, policy => policy.RequireAuthenticatedUser().RequireRole(SentryFlowClaims.PlatformAdmin))
        .AddPolicy(InternalService, policy => policy.RequireAuthenticatedUser().RequireRole(SentryFlowClaims.Service))
        .AddPolicy(ProjectViewer, policy => policy.AddRequirements(ScopedRoleRequirement.Project(OrganizationRole.Viewer)))
        .AddPolicy(ProjectMember, policy => policy.AddRequirements(ScopedRoleRequirement.Project(OrganizationRole.Member)))
        .AddPolicy(ProjectAdmin, policy => policy.AddRequirements(ScopedRoleRequirement.Project(OrganizationRole.Admin)))
        .AddPolicy(OrganizationViewer, policy => policy.AddRequirements(ScopedRoleRequirement.Organization(OrganizationRole.Viewer)))
        .AddPolicy(OrganizationAdmin, policy => policy.AddRequirements(ScopedRoleRequirement.Organization(OrganizationRole.Admin)));
}
