using Microsoft.EntityFrameworkCore;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Identity.Infrastructure;

namespace SentryFlow.Identity.Tokens;

/// <summary>
/// The role claims a subject holds now, read from the database: what a token is issued with, and what identity tells
/// the other services a token may do when they ask (<see cref="TokenAccessQuery"/>). One place, so the two never differ.
/// </summary>
public sealed class CurrentAccess(IdentityDbContext db)
{
    /// <summary>The <c>role</c>, <c>org_role</c> and <c>project_role</c> claim values of one subject.</summary>
    public sealed record RoleClaims(IReadOnlyList<string> Roles, IReadOnlyList<string> OrganizationRoles, IReadOnlyList<string> ProjectRoles);

    /// <summary>The claims of each of <paramref name="userIds"/> that exists and is not disabled (the others are left out).</summary>
    public async Task<Dictionary<Guid, RoleClaims>> ForUsersAsync(IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken)
    {
        var enabled = await db.Users.AsNoTracking()
            .Where(u => userIds.Contains(u.Id) && !u.IsDisabled)
            .Select(u => u.Id)
            .ToListAsync(cancellationToken);
        if (enabled.Count == 0)
        {
            return [];
        }

        var roles = (await db.UserRoles.AsNoTracking()
                .Where(ur => enabled.Contains(ur.UserId))
                .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
                .ToListAsync(cancellationToken))
            .ToLookup(r => r.UserId, r => r.Name!);
        var memberships = (await db.Memberships.AsNoTracking()
                .Where(m => enabled.Contains(m.UserId))
                .Select(m => new { m.UserId, m.OrganizationId, m.Role })
                .ToListAsync(cancellationToken))
            .ToLookup(m => m.UserId);
        var projects = await ProjectsOfAsync([.. memberships.SelectMany(m => m).Select(m => m.OrganizationId).Distinct()], cancellationToken);

        return enabled.ToDictionary(id => id, id => new RoleClaims(
            [.. roles[id]],
            [.. memberships[id].Select(m => SentryFlowClaims.Format(m.OrganizationId, m.Role))],
            [.. memberships[id].SelectMany(m => projects[m.OrganizationId].Select(project => SentryFlowClaims.Format(project, m.Role)))]));
    }

    /// <summary>The claims of a machine client acting in <paramref name="organizationId"/> as <paramref name="role"/>: that role in each of its projects.</summary>
    public async Task<RoleClaims> ForOrganizationAsync(Guid organizationId, OrganizationRole role, CancellationToken cancellationToken)
    {
        var projects = await ProjectsOfAsync([organizationId], cancellationToken);
        return new RoleClaims([], [SentryFlowClaims.Format(organizationId, role)], [.. projects[organizationId].Select(id => SentryFlowClaims.Format(id, role))]);
    }

    private async Task<ILookup<Guid, Guid>> ProjectsOfAsync(List<Guid> organizationIds, CancellationToken cancellationToken) =>
        organizationIds.Count == 0
            ? Array.Empty<Guid>().ToLookup(id => id)
            : (await db.Projects.AsNoTracking()
                .Where(p => organizationIds.Contains(p.OrganizationId))
                .Select(p => new { p.Id, p.OrganizationId })
                .ToListAsync(cancellationToken))
            .ToLookup(p => p.OrganizationId, p => p.Id);
}
