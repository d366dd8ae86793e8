using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Identity.Accounts;
using SentryFlow.Identity.Infrastructure;

namespace SentryFlow.Identity.Tenancy;

/// <summary>
/// Decides from the database (not the token, which may be minutes old) what the caller may do in an organization.
/// A caller who is not a member gets 404, as if it did not exist; a member with too low a role gets 403.
/// </summary>
public sealed class OrganizationAccess(IdentityDbContext db)
{
    public async Task<AccessDecision> CheckAsync(Guid organizationId, ClaimsPrincipal caller, OrganizationRole minimum, CancellationToken cancellationToken)
    {
        var userId = caller.GetUserId();
        var membership = await db.Memberships.AsNoTracking()
            .SingleOrDefaultAsync(m => m.OrganizationId == organizationId && m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            return new AccessDecision(null, IdentityProblems.OrganizationNotFound.Result());
        }

        return membership.Role < minimum
            ? new AccessDecision(membership.Role, IdentityProblems.RoleTooLow.Result(
                $"This needs the {minimum.ToString().ToLowerInvariant()} role in the organization."))
            : new AccessDecision(membership.Role, null);
    }
}
