using Microsoft.EntityFrameworkCore;
using Npgsql;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Identity.Apis.Requests;
using SentryFlow.Identity.Apis.Responses;
using SentryFlow.Identity.Audit;
using SentryFlow.Identity.Infrastructure;
using SentryFlow.Identity.Tenancy;

namespace SentryFlow.Identity.Apis;

/// <summary>Projects inside an organization: members see them, admins create, rename and delete them.</summary>
public static class ProjectsApi
{
    public static IEndpointRouteBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("/api/organizations/{organizationId:guid}/projects").WithTags("Projects").RequireAuthorization();
        projects.MapPost("/", CreateAsync);
        projects.MapGet("/", ListAsync);
        projects.MapGet("/{projectId:guid}", GetAsync);
        projects.MapPut("/{projectId:guid}", RenameAsync);
        projects.MapDelete("/{projectId:guid}", DeleteAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(
        Guid organizationId, NameRequest request, HttpContext http, IdentityDbContext db, OrganizationAccess access, CancellationToken cancellationToken)
    {
        if ((await access.CheckAsync(organizationId, http.User, OrganizationRole.Admin, cancellationToken)).Denied is { } denied)
        {
            return denied;
        }

        try
        {
            var project = await db.InTransactionAsync(async ct =>
            {
                var created = new Project { OrganizationId = organizationId, Name = request.Name };
                db.Projects.Add(created);
                db.AddIntegrationEvent(new ProjectCreated(created.Id, organizationId, created.Name, created.CreatedAt));
                await db.SaveChangesAsync(ct);
                return created;
            }, cancellationToken);
            return TypedResults.Created($"/api/organizations/{organizationId}/projects/{project.Id}", ToResponse(project));
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return NameTaken();
        }
    }

    private static async Task<IResult> ListAsync(
        Guid organizationId, HttpContext http, IdentityDbContext db, OrganizationAccess access, CancellationToken cancellationToken)
    {
        if ((await access.CheckAsync(organizationId, http.User, OrganizationRole.Viewer, cancellationToken)).Denied is { } denied)
        {
            return denied;
        }

        return TypedResults.Ok(await db.Projects.AsNoTracking()
            .Where(p => p.OrganizationId == organizationId)
            .OrderBy(p => p.Name)
            .Select(p => new ProjectResponse(p.Id, p.OrganizationId, p.Name, p.CreatedAt))
            .ToListAsync(cancellationToken));
    }

    private static async Task<IResult> GetAsync(
        Guid organizationId, Guid projectId, HttpContext http, IdentityDbContext db, OrganizationAccess access, CancellationToken cancellationToken)
    {
        if ((await access.CheckAsync(organizationId, http.User, OrganizationRole.Viewer, cancellationToken)).Denied is { } denied)
        {
            return denied;
        }

        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == projectId && p.OrganizationId == organizationId, cancellationToken);
        return project is null ? NoSuchProject() : TypedResults.Ok(ToResponse(project));
    }

    private static async Task<IResult> RenameAsync(
        Guid organizationId, Guid projectId, NameRequest request, HttpContext http, IdentityDbContext db, OrganizationAccess access,
        CancellationToken cancellationToken)
    {
        if ((await access.CheckAsync(organizationId, http.User, OrganizationRole.Admin, cancellationToken)).Denied is { } denied)
        {
            return denied;
        }

        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == projectId && p.OrganizationId == organizationId, cancellationToken);
        if (project is null)
        {
            return NoSuchProject();
        }

        project.Name = request.Name;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return NameTaken();
        }

        return TypedResults.Ok(ToResponse(project));
    }

    private static async Task<IResult> DeleteAsync(
        Guid organizationId, Guid projectId, HttpContext http, IdentityDbContext db, OrganizationAccess access, AuditLog audit,
        CancellationToken cancellationToken)
    {
        if ((await access.CheckAsync(organizationId, http.User, OrganizationRole.Admin, cancellationToken)).Denied is { } denied)
        {
            return denied;
        }

        var deleted = await db.InTransactionAsync(async ct =>
        {
            var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == projectId && p.OrganizationId == organizationId, ct);
            if (project is null)
            {
                return false;
            }

            db.Projects.Remove(project);
            db.AddIntegrationEvent(new ProjectDeleted(project.Id, organizationId, DateTimeOffset.UtcNow));
            audit.Add(AuditActions.ProjectDeleted, succeeded: true, organizationId: organizationId, target: $"{project.Id} {project.Name}");
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);
        return deleted ? TypedResults.NoContent() : NoSuchProject();
    }

    private static ProjectResponse ToResponse(Project project) => new(project.Id, project.OrganizationId, project.Name, project.CreatedAt);

    private static IResult NoSuchProject() => IdentityProblems.ProjectNotFound.Result();

    private static IResult NameTaken() => IdentityProblems.ProjectNameTaken.Validation("name", "The organization already has a project with this name.");
}
