using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Identity.Accounts;
using SentryFlow.Identity.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SentryFlow.Identity.Tokens;

/// <summary>
/// Builds the claims an access token carries for a user, fresh from the database each time a token is issued
/// or refreshed: who they are, whether they are a platform administrator, and their role in each organization
/// and each of its projects, so other services decide without calling identity.
/// </summary>
public sealed class TokenPrincipalFactory(IdentityDbContext db, UserManager<ApplicationUser> users)
{
    public async Task<ClaimsPrincipal> CreateAsync(ApplicationUser user, IEnumerable<string> requestedScopes, CancellationToken cancellationToken)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaims(Claims.Role, [.. await users.GetRolesAsync(user)]);

        var memberships = await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == user.Id)
            .Select(m => new { m.OrganizationId, m.Role })
            .ToListAsync(cancellationToken);
        var organizationIds = memberships.Select(m => m.OrganizationId).ToList();
        var projects = await db.Projects.AsNoTracking()
            .Where(p => organizationIds.Contains(p.OrganizationId))
            .Select(p => new { p.Id, p.OrganizationId })
            .ToListAsync(cancellationToken);
        var roles = memberships.ToDictionary(m => m.OrganizationId, m => m.Role);

        identity.SetClaims(SentryFlowClaims.OrganizationRole, [.. memberships.Select(m => SentryFlowClaims.Format(m.OrganizationId, m.Role))]);
        identity.SetClaims(SentryFlowClaims.ProjectRole, [.. projects.Select(p => SentryFlowClaims.Format(p.Id, roles[p.OrganizationId]))]);
        return Finish(identity, requestedScopes);
    }

    /// <summary>A machine client (client credentials) acts in one organization with the role it was given.</summary>
    public async Task<ClaimsPrincipal> CreateForClientAsync(
        string clientId, string name, Guid organizationId, OrganizationRole role, IEnumerable<string> requestedScopes, CancellationToken cancellationToken)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, clientId).SetClaim(Claims.Name, name);
        identity.SetClaims(SentryFlowClaims.OrganizationRole, [SentryFlowClaims.Format(organizationId, role)]);
        var projects = await db.Projects.AsNoTracking().Where(p => p.OrganizationId == organizationId).Select(p => p.Id).ToListAsync(cancellationToken);
        identity.SetClaims(SentryFlowClaims.ProjectRole, [.. projects.Select(id => SentryFlowClaims.Format(id, role))]);
        return Finish(identity, requestedScopes);
    }

    /// <summary>One of SentryFlow's own services, signed in with its service client.</summary>
    public static ClaimsPrincipal CreateForService(string clientId)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, $"service:{clientId}").SetClaim(Claims.Name, clientId);
        identity.SetClaims(Claims.Role, [SentryFlowClaims.Service]);
        return Finish(identity, []);
    }

    private static ClaimsIdentity NewIdentity() =>
        new(OpenIddict.Server.AspNetCore.OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);

    private static ClaimsPrincipal Finish(ClaimsIdentity identity, IEnumerable<string> requestedScopes)
    {
        var principal = new ClaimsPrincipal(identity);
        // The API scope is always granted; offline_access (a refresh token) only when asked for.
        principal.SetScopes(requestedScopes.Where(s => s == Scopes.OfflineAccess).Append(SentryFlowClaims.ApiScope).Distinct());
        principal.SetResources(SentryFlowClaims.ApiAudience);
        foreach (var claim in principal.Claims)
        {
            claim.SetDestinations(Destinations.AccessToken);
        }

        return principal;
    }
}
