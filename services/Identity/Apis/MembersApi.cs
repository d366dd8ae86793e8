using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Identity.Accounts;
using SentryFlow.Identity.Apis.Requests;
using SentryFlow.Identity.Apis.Responses;
using SentryFlow.Identity.Audit;
using SentryFlow.Identity.Infrastructure;
using SentryFlow.Identity.Tenancy;

namespace SentryFlow.Identity.Apis;

/// <summary>
/// An organization's members. Admins add, re-role and remove members up to admin; only owners touch owners; anyone
/// may leave; the last owner may neither leave nor be demoted (the organization would be unmanageable).
/// </summary>
public static class MembersApi
{
    public static IEndpointRouteBuilder MapMembersApi(this IEndpointRouteBuilder app)
    {
        var members = app.MapGroup("/api/organizations/{organizationId:guid}/members").WithTags("Members").RequireAuthorization();
        members.MapGet("/", ListAsync);
        members.MapPost("/", AddAsync);
        members.MapPut("/{userId:guid}", ChangeRoleAsync);
        members.MapDelete("/{userId:guid}", RemoveAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(
        Guid organizationId, HttpContext http, IdentityDbContext db, OrganizationAccess access, CancellationToken cancellationToken)
    {
        if ((await access.CheckAsync(organizationId, http.User, OrganizationRole.Viewer, cancellationToken)).Denied is { } denied)
        {
            return denied;
        }

        return TypedResults.Ok(await db.Memberships.AsNoTracking()
            .Where(m => m.OrganizationId == organizationId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { Membership = m, User = u })
            .OrderBy(x => x.User.Email)
            .Select(x => new MemberResponse(x.User.Id, x.User.Email!, x.User.DisplayName, x.Membership.Role, x.Membership.JoinedAt))
            .ToListAsync(cancellationToken));
    }

    private static async Task<IResult> AddAsync(
        Guid organizationId, AddMemberRequest request, HttpContext http, IdentityDbContext db, UserManager<ApplicationUser> users,
        OrganizationAccess access, AuditLog audit, CancellationToken cancellationToken)
    {
        var decision = await access.CheckAsync(organizationId, http.User, OrganizationRole.Admin, cancellationToken);
        if (decision.Denied is not null)
        {
            return decision.Denied;
        }

        var role = request.Role!.Value;
        if (role > decision.Role)
        {
            return Forbidden("Only an owner can make an owner.");
        }

        var user = await users.FindByEmailAsync(request.Email);
        if (user is null)
        {
            return IdentityProblems.UnknownEmail.Validation("email", "No account has this email; ask them to register first.");
        }

        if (await db.Memberships.AnyAsync(m => m.OrganizationId == organizationId && m.UserId == user.Id, cancellationToken))
        {
            return IdentityProblems.AlreadyMember.Result("The user is already a member; change their role instead.");
        }

        var membership = new Membership { OrganizationId = organizationId, UserId = user.Id, Role = role };
        await db.InTransactionAsync(async ct =>
        {
            db.Memberships.Add(membership);
            db.AddIntegrationEvent(new MembershipChanged(organizationId, user.Id, null, role, http.User.GetUserId(), membership.JoinedAt));
            audit.Add(AuditActions.MemberAdded, succeeded: true, organizationId: organizationId, subjectUserId: user.Id, target: Describe(role));
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);

        return TypedResults.Created($"/api/organizations/{organizationId}/members/{user.Id}",
            new MemberResponse(user.Id, user.Email!, user.DisplayName, role, membership.JoinedAt));
    }

    private static async Task<IResult> ChangeRoleAsync(
        Guid organizationId, Guid userId, ChangeRoleRequest request, HttpContext http, IdentityDbContext db, OrganizationAccess access,
        AuditLog audit, CancellationToken cancellationToken)
    {
        var decision = await access.CheckAsync(organizationId, http.User, OrganizationRole.Admin, cancellationToken);
        if (decision.Denied is not null)
        {
            return decision.Denied;
        }

        var role = request.Role!.Value;
        return await db.InTransactionAsync<IResult>(async ct =>
        {
            var membership = await LockMemberAsync(db, organizationId, userId, ct);
            if (membership is null)
            {
                return NoSuchMember();
            }

            var previous = membership.Role;
            if ((previous == OrganizationRole.Owner || role == OrganizationRole.Owner) && decision.Role != OrganizationRole.Owner)
            {
                return Forbidden("Only an owner can make or unmake an owner.");
            }

            if (previous == OrganizationRole.Owner && role != OrganizationRole.Owner && await IsLastOwnerAsync(db, organizationId, ct))
            {
                return LastOwner();
            }

            membership.Role = role;
            db.AddIntegrationEvent(new MembershipChanged(organizationId, userId, previous, role, http.User.GetUserId(), DateTimeOffset.UtcNow));
            audit.Add(AuditActions.RoleChanged, succeeded: true, organizationId: organizationId, subjectUserId: userId,
                target: $"{Describe(previous)} -> {Describe(role)}");
            await db.SaveChangesAsync(ct);
            return TypedResults.NoContent();
        }, cancellationToken);
    }

    private static async Task<IResult> RemoveAsync(
        Guid organizationId, Guid userId, HttpContext http, IdentityDbContext db, OrganizationAccess access, AuditLog audit,
        CancellationToken cancellationToken)
    {
        var leaving = userId == http.User.GetUserId();
        var decision = await access.CheckAsync(organizationId, http.User, leaving ? OrganizationRole.Viewer : OrganizationRole.Admin, cancellationToken);
        if (decision.Denied is not null)
        {
            return decision.Denied;
        }

        return await db.InTransactionAsync<IResult>(async ct =>
        {
            var membership = await LockMemberAsync(db, organizationId, userId, ct);
            if (membership is null)
            {
                return NoSuchMember();
            }

            if (membership.Role == OrganizationRole.Owner && !leaving && decision.Role != OrganizationRole.Owner)
            {
                return Forbidden("Only an owner can remove an owner.");
            }

            if (membership.Role == OrganizationRole.Owner && await IsLastOwnerAsync(db, organizationId, ct))
            {
                return LastOwner();
            }

            db.Memberships.Remove(membership);
            db.AddIntegrationEvent(new MembershipChanged(organizationId, userId, membership.Role, null, http.User.GetUserId(), DateTimeOffset.UtcNow));
            audit.Add(AuditActions.MemberRemoved, succeeded: true, organizationId: organizationId, subjectUserId: userId, target: Describe(membership.Role));
            await db.SaveChangesAsync(ct);
            return TypedResults.NoContent();
        }, cancellationToken);
    }

    // Locks the member's row and the organization's owners' rows, so two owners cannot both step down at once.
    private static async Task<Membership?> LockMemberAsync(IdentityDbContext db, Guid organizationId, Guid userId, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync(
            $"""SELECT 1 FROM identity."Memberships" WHERE "OrganizationId" = {organizationId} AND ("UserId" = {userId} OR "Role" = 'Owner') FOR UPDATE""",
            cancellationToken);
        return await db.Memberships.SingleOrDefaultAsync(m => m.OrganizationId == organizationId && m.UserId == userId, cancellationToken);
    }

    private static async Task<bool> IsLastOwnerAsync(IdentityDbContext db, Guid organizationId, CancellationToken cancellationToken) =>
        await db.Memberships.CountAsync(m => m.OrganizationId == organizationId && m.Role == OrganizationRole.Owner, cancellationToken) <= 1;

    private static string Describe(OrganizationRole role) => role.ToString().ToLowerInvariant();

    private static IResult Forbidden(string detail) => IdentityProblems.OwnerOnly.Result(detail);

    private static IResult NoSuchMember() => IdentityProblems.MemberNotFound.Result();

    private static IResult LastOwner() => IdentityProblems.LastOwner.Result("Make someone else an owner first.");
}
