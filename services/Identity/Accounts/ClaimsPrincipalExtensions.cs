using System.Security.Claims;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SentryFlow.Identity.Accounts;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user's id; Guid.Empty for a machine client (its subject is a client id).</summary>
    public static Guid GetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(Claims.Subject), out var id) ? id : Guid.Empty;
}
