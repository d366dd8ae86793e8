using OpenIddict.Abstractions;
using OpenIddict.Server;
using SentryFlow.Identity.Audit;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace SentryFlow.Identity.Tokens;

/// <summary>Records each token revoked at the revocation endpoint (sign-out) in the audit trail.</summary>
public sealed class RevocationAudit(AuditLog audit) : IOpenIddictServerHandler<HandleRevocationRequestContext>
{
    public async ValueTask HandleAsync(HandleRevocationRequestContext context)
    {
        var subject = context.GenericTokenPrincipal?.GetClaim(OpenIddictConstants.Claims.Subject);
        await audit.RecordAsync(AuditActions.TokenRevoked, succeeded: true,
            subjectUserId: Guid.TryParse(subject, out var userId) ? userId : null, actor: subject,
            target: context.GenericTokenPrincipal?.GetTokenType());
    }
}
