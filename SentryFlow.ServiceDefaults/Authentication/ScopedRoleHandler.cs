using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SentryFlow.Contracts.Authorization;

namespace SentryFlow.ServiceDefaults.Authentication;

/// <summary>
/// Grants a <see cref="ScopedRoleRequirement"/> when a role claim for the routed id is at least the minimum.
/// A caller with no claim for that id fails like one with too low a role (403), so a stranger learns nothing.
/// </summary>
public sealed class ScopedRoleHandler : AuthorizationHandler<ScopedRoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopedRoleRequirement requirement)
    {
        if (context.Resource is HttpContext http
            && Guid.TryParse(http.GetRouteValue(requirement.RouteValue) as string, out var scope)
            && context.User.FindAll(requirement.ClaimType).Any(claim =>
                SentryFlowClaims.TryParse(claim.Value, out var id, out var role) && id == scope && role >= requirement.MinimumRole))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
