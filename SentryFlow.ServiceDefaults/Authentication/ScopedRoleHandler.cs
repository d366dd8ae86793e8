using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SentryFlow.Contracts.Authorization;

namespace SentryFlow.ServiceDefaults.Authentication;

/// <summary>
/// Grants a <see cref="ScopedRoleRequirement"/> when a role claim for the routed id is at least the minimum.
/// A caller with no claim for that id fails like one with too low a role (403), so a stranger learns nothing.
/// Before refusing, the caller's access is asked of identity again (<see cref="TokenAccessCache.RecheckAsync"/>): a
/// project created or a role granted a moment ago counts at once.
/// </summary>
public sealed class ScopedRoleHandler(TokenAccessCache access) : AuthorizationHandler<ScopedRoleRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopedRoleRequirement requirement)
    {
        if (context.Resource is not HttpContext http || !Guid.TryParse(http.GetRouteValue(requirement.RouteValue) as string, out var scope))
        {
            return;
        }

        if (Grants(context.User, requirement, scope))
        {
            context.Succeed(requirement);
            return;
        }

        var token = TokenAccessCache.BearerToken(http.Request.Headers.Authorization);
        if (!token.IsEmpty && context.User.Identity?.IsAuthenticated == true
            && await access.RecheckAsync(token.ToString(), context.User) is { } current && Grants(current, requirement, scope))
        {
            http.User = current;
            context.Succeed(requirement);
        }
    }

    private static bool Grants(System.Security.Claims.ClaimsPrincipal user, ScopedRoleRequirement requirement, Guid scope) =>
        user.FindAll(requirement.ClaimType).Any(claim =>
            SentryFlowClaims.TryParse(claim.Value, out var id, out var role) && id == scope && role >= requirement.MinimumRole);
}
