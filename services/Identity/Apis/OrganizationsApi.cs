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

/// <summary>Organizations: anyone signed in creates one (and owns it); each caller sees only their own.</summary>
public static class OrganizationsApi
{
    public static IEndpointRouteBuilder MapOrganizationsApi(this IEndpointRouteBuilder app)
    {
        var organizations = app.MapGroup("/api/organizations").WithTags("Organizations").RequireAuthorization();
        organizations.MapPost("/", CreateAsync);
        organizations.MapGet("/", ListAsync);
        organizations.MapGet("/{organizationId:guid}", GetAsync);
        organizations.MapPut("/{organizationId:guid}", RenameAsync);
        organizations.MapDelete("/{organizationId:guid}", DeleteAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, NameRequest request, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var userId = http.User.GetUserId();
        if (userId == Guid.Empty)
        {
            return IdentityProblems.UsersOnly.Result("Only users create organizations.");
        }

        var organization = await db.InTransactionAsync(async ct =>
        {
            var created = new Organization { Name = request.Name };
            created.Members.Add(new Membership { UserId = userId, Role = OrganizationRole.Owner });
            db.Organizations.Add(created);
            db.AddIntegrationEvent(new OrganizationCreated(created.Id, created.Name, userId, created.CreatedAt));
            db.AddIntegrationEvent(new MembershipChanged(created.Id, userId, null, OrganizationRole.Owner, userId, created.CreatedAt));
            await db.SaveChangesAsync(ct);
            return created;
        }, cancellationToken);

        return TypedResults.Created($"/api/organizations/{organization.Id}",
            new OrganizationResponse(organization.Id, organization.Name, organization.CreatedAt, OrganizationRole.Owner));
    }

    private static async Task<IResult> ListAsync(HttpContext http, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var userId = http.User.GetUserId();
        return TypedResults.Ok(await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == userId)
            .Join(db.Organizations, m => m.OrganizationId, o => o.Id, (m, o) => new { Membership = m, Organization = o })
            .OrderBy(x => x.Organization.Name)
            .Select(x => new OrganizationResponse(x.Organization.Id, x.Organization.Name, x.Organization.CreatedAt, x.Membership.Role))
            .ToListAsync(cancellationToken));
    }

    private static async Task<IResult> GetAsync(
        Guid organizationId, HttpContext http, IdentityDbContext db, OrganizationAccess access, CancellationToken cancellationToken)
    {
        var decision = await access.CheckAsync(organizationId, http.User, OrganizationRole.Viewer, cancellationToken);
        if (decision.Denied is not null)
        {
            return decision.Denied;
        }

        var organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == organizationId, cancellationToken);
        return TypedResults.Ok(new OrganizationResponse(organization.Id, organization.Name, organization.CreatedAt, decision.Role!.Value));
    }

    private static async Task<IResult> RenameAsync(
        Guid organizationId, NameRequest request, HttpContext http, IdentityDbContext db, OrganizationAccess access, CancellationToken cancellationToken)
    {
        var decision = await access.CheckAsync(organizationId, http.User, OrganizationRole.Admin, cancellationToken);
        if (decision.Denied is not null)
        {
            return decision.Denied;
        }

        var organization = await db.Organizations.SingleAsync(o => o.Id == organizationId, cancellationToken);
        organization.Name = request.Name;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new OrganizationResponse(organization.Id, organization.Name, organization.CreatedAt, decision.Role!.Value));
    }

    private static async Task<IResult> DeleteAsync(
        Guid organizationId, HttpContext http, IdentityDbContext db, OrganizationAccess access, AuditLog audit, CancellationToken cancellationToken)
    {
        var decision = await access.CheckAsync(organizationId, http.User, OrganizationRole.Owner, cancellationToken);
        if (decision.Denied is not null)
        {
            return decision.Denied;
        }

        await db.InTransactionAsync(async ct =>
        {
            var organization = await db.Organizations.Include(o => o.Projects).SingleAsync(o => o.Id == organizationId, ct);
            var now = DateTimeOffset.UtcNow;
            foreach (var project in organization.Projects)
            {
                db.AddIntegrationEvent(new ProjectDeleted(project.Id, organizationId, now));
            }

            db.AddIntegrationEvent(new OrganizationDeleted(organizationId, now));
            db.Organizations.Remove(organization);
            audit.Add(AuditActions.OrganizationDeleted, succeeded: true, organizationId: organizationId, target: organization.Name);
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);
        return TypedResults.NoContent();
    }
}
