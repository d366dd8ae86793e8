using System.Security.Claims;
using OpenIddict.Abstractions;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Identity.Accounts;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SentryFlow.Identity.Tokens;

/// <summary>
/// Builds the claims an access token carries for a user, fresh from the database each time a token is issued
/// or refreshed: who they are, whether they are a platform administrator, and their role in each organization
/// and each of its projects. Other services check them against identity's current answer (<see cref="TokenAccessQuery"/>),
/// so a role changed after issue counts within seconds.
/// </summary>
public sealed class TokenPrincipalFactory(CurrentAccess current)
{
    public async Task<ClaimsPrincipal> CreateAsync(ApplicationUser user, IEnumerable<string> requestedScopes, CancellationToken cancellationToken)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.Name, user.DisplayName);
        var claims = (await current.ForUsersAsync([user.Id], cancellationToken)).GetValueOrDefault(user.Id);
        SetRoleClaims(identity, claims ?? new CurrentAccess.RoleClaims([], [], []));
        return Finish(identity, requestedScopes);
    }

    /// <summary>A machine client (client credentials) acts in one organization with the role it was given.</summary>
    public async Task<ClaimsPrincipal> CreateForClientAsync(
        string clientId, string name, Guid organizationId, OrganizationRole role, IEnumerable<string> requestedScopes, CancellationToken cancellationToken)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, clientId).SetClaim(Claims.Name, name);
        SetRoleClaims(identity, await current.ForOrganizationAsync(organizationId, role, cancellationToken));
        return Finish(identity, requestedScopes);
    }

    private static void SetRoleClaims(ClaimsIdentity identity, CurrentAccess.RoleClaims claims) => identity
        .SetClaims(Claims.Role, [.. claims.Roles])
        .SetClaims(SentryFlowClaims.OrganizationRole, [.. claims.OrganizationRoles])
        .SetClaims(SentryFlowClaims.ProjectRole, [.. claims.ProjectRoles]);

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
