using Microsoft.EntityFrameworkCore;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Identity.Apis.Responses;
using SentryFlow.Identity.Infrastructure;
using SentryFlow.Identity.Tenancy;

namespace SentryFlow.Identity.Apis;

/// <summary>
/// The audit trail, for an organization's admins: what was done in the organization, and the account actions
/// (sign-ins, password changes, revocations) of its current members. Newest first, paged by <c>before</c>.
/// </summary>
public static class AuditApi
{
    private const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/organizations/{organizationId:guid}/audit", ListAsync).WithTags("Audit").RequireAuthorization();
        return app;
    }

    private static async Task<IResult> ListAsync(
        Guid organizationId, HttpContext http, IdentityDbContext db, OrganizationAccess access, CancellationToken cancellationToken,
        int limit = 100, long? before = null, string? action = null)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return IdentityProblems.PagingInvalid.Validation("limit", $"Between 1 and {MaxLimit}.");
        }

        if ((await access.CheckAsync(organizationId, http.User, OrganizationRole.Admin, cancellationToken)).Denied is { } denied)
        {
            return denied;
        }

        var members = db.Memberships.Where(m => m.OrganizationId == organizationId).Select(m => (Guid?)m.UserId);
        var entries = db.AuditEntries.AsNoTracking()
            .Where(e => e.OrganizationId == organizationId || (e.OrganizationId == null && members.Contains(e.SubjectUserId)));
        if (before is not null)
        {
            entries = entries.Where(e => e.Id < before);
        }

        if (action is not null)
        {
            entries = entries.Where(e => e.Action == action);
        }

        return TypedResults.Ok(await entries
            .OrderByDescending(e => e.Id)
            .Take(limit)
            .Select(e => new AuditEntryResponse(e.Id, e.At, e.Action, e.Succeeded, e.Actor, e.SubjectUserId, e.Target, e.IpAddress, e.UserAgent))
            .ToListAsync(cancellationToken));
    }
}
