using System.Security.Claims;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using SentryFlow.Contracts.Authorization;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SentryFlow.Identity.Tokens;

/// <summary>
/// Answers, for access tokens other services were sent, what each may do now: nothing when identity did not issue it,
/// it expired or was revoked (its token entry is checked), its user is disabled or its machine client deleted; else the
/// subject's current roles, organizations and projects (see <see cref="CurrentAccess"/>).
/// </summary>
public sealed class TokenAccessQuery(OpenIddictValidationService validation, CurrentAccess current, MachineClients clients)
{
    /// <summary>Longer than any token identity issues: such a string is answered inactive without being parsed.</summary>
    public const int MaxTokenLength = 64 * 1024;

    public async Task<List<TokenAccess>> AnswerAsync(IReadOnlyList<string?> tokens, CancellationToken cancellationToken)
    {
        var principals = new ClaimsPrincipal?[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            principals[i] = await ValidateAsync(tokens[i], cancellationToken);
        }

        var users = await current.ForUsersAsync([.. principals.Select(UserIdOf).OfType<Guid>().Distinct()], cancellationToken);
        var machineClients = new Dictionary<string, CurrentAccess.RoleClaims?>(StringComparer.Ordinal);
        var answers = new List<TokenAccess>(tokens.Count);
        foreach (var principal in principals)
        {
            var claims = principal is null ? null : await ClaimsOfAsync(principal, users, machineClients, cancellationToken);
            answers.Add(claims is null ? TokenAccess.Inactive : new TokenAccess(true, claims.Roles, claims.OrganizationRoles, claims.ProjectRoles));
        }

        return answers;
    }

    // A service client's token, a user's, or a machine client's (its subject is its client id).
    private async Task<CurrentAccess.RoleClaims?> ClaimsOfAsync(
        ClaimsPrincipal principal, Dictionary<Guid, CurrentAccess.RoleClaims> users, Dictionary<string, CurrentAccess.RoleClaims?> machineClients,
        CancellationToken cancellationToken)
    {
        if (principal.HasClaim(Claims.Role, SentryFlowClaims.Service))
        {
            return new CurrentAccess.RoleClaims([SentryFlowClaims.Service], [], []);
        }

        if (UserIdOf(principal) is { } userId)
        {
            return users.GetValueOrDefault(userId);
        }

        if (principal.GetClaim(Claims.Subject) is not { Length: > 0 } clientId)
        {
            return null;
        }

        if (!machineClients.TryGetValue(clientId, out var claims))
        {
            claims = machineClients[clientId] = await clients.FindAsync(clientId, cancellationToken) is { } client
                ? await current.ForOrganizationAsync(client.OrganizationId, client.Role, cancellationToken)
                : null;
        }

        return claims;
    }

    private async Task<ClaimsPrincipal?> ValidateAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }

        try
        {
            // Signature, issuer, lifetime and audience, and the token entry: a revoked token (or one whose machine client
            // was deleted, with its tokens) is refused here.
            return await validation.ValidateAccessTokenAsync(token, cancellationToken);
        }
        catch (OpenIddictExceptions.ProtocolException)
        {
            return null;
        }
    }

    private static Guid? UserIdOf(ClaimsPrincipal? principal) =>
        principal is not null && Guid.TryParse(principal.GetClaim(Claims.Subject), out var id) ? id : null;
}
