using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SentryFlow.Alerting.Apis.Requests;
using SentryFlow.Alerting.Apis.Responses;
using SentryFlow.Alerting.Infrastructure;
using SentryFlow.Alerting.Silences;
using SentryFlow.ServiceDefaults.Authentication;

namespace SentryFlow.Alerting.Apis;

/// <summary>A project's silences by label matchers and time range: viewers read, members create and expire them.</summary>
public static class SilencesApi
{
    public static IEndpointRouteBuilder MapSilencesApi(this IEndpointRouteBuilder app)
    {
        var silences = app.MapGroup("/api/projects/{projectId:guid}/alerting/silences").WithTags("Silences");
        silences.MapGet("/", ListAsync).RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        silences.MapGet("/{silenceId:guid}", GetAsync).RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        silences.MapPost("/", CreateAsync).RequireAuthorization(SentryFlowPolicies.ProjectMember);
        silences.MapPut("/{silenceId:guid}", ReplaceAsync).RequireAuthorization(SentryFlowPolicies.ProjectMember);
        silences.MapDelete("/{silenceId:guid}", DeleteAsync).RequireAuthorization(SentryFlowPolicies.ProjectMember);
        return app;
    }

    private static async Task<IResult> ListAsync(Guid projectId, AlertingDbContext db, TimeProvider time, CancellationToken cancellationToken, bool active = false)
    {
        var now = time.GetUtcNow();
        var query = db.Silences.AsNoTracking().Where(s => s.ProjectId == projectId);
        if (active)
        {
            query = query.Where(s => s.StartsAt <= now && s.EndsAt > now);
        }

        var silences = await query.OrderByDescending(s => s.EndsAt).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(silences.Select(s => SilenceResponse.From(s, now)));
    }

    private static async Task<IResult> GetAsync(Guid projectId, Guid silenceId, AlertingDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        await db.Silences.AsNoTracking().FirstOrDefaultAsync(s => s.ProjectId == projectId && s.Id == silenceId, cancellationToken) is { } silence
            ? TypedResults.Ok(SilenceResponse.From(silence, time.GetUtcNow()))
            : TypedResults.NotFound();

    private static async Task<IResult> CreateAsync(
        Guid projectId, SilenceRequest request, ClaimsPrincipal user, AlertingDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (Validate(request, now) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var silence = new Silence { ProjectId = projectId, CreatedBy = Actor.Of(user), CreatedAt = now };
        Apply(request, silence, now);
        db.Silences.Add(silence);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/projects/{projectId}/alerting/silences/{silence.Id}", SilenceResponse.From(silence, now));
    }

    private static async Task<IResult> ReplaceAsync(
        Guid projectId, Guid silenceId, SilenceRequest request, AlertingDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (Validate(request, now) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await db.Silences.FirstOrDefaultAsync(s => s.ProjectId == projectId && s.Id == silenceId, cancellationToken) is not { } silence)
        {
            return TypedResults.NotFound();
        }

        Apply(request, silence, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(SilenceResponse.From(silence, now));
    }

    /// <summary>Expires the silence now (kept for the record, as Alertmanager does).</summary>
    private static async Task<IResult> DeleteAsync(Guid projectId, Guid silenceId, AlertingDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = await db.Silences.Where(s => s.ProjectId == projectId && s.Id == silenceId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndsAt, x => x.EndsAt < now ? x.EndsAt : now), cancellationToken);
        return expired == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    private static Dictionary<string, string[]> Validate(SilenceRequest request, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Matchers is not { Count: > 0 and <= 20 } || request.Matchers.Any(m => string.IsNullOrWhiteSpace(m.Name) || m.Value is null))
        {
            errors["matchers"] = ["1 to 20 matchers, each with a name and a value."];
        }

        if (request.EndsAt is null)
        {
            errors["endsAt"] = ["Required."];
        }
        else if (request.EndsAt <= (request.StartsAt ?? now))
        {
            errors["endsAt"] = ["Must be after startsAt (and after now)."];
        }

        if (request.Comment?.Length > 1000)
        {
            errors["comment"] = ["At most 1000 characters."];
        }

        return errors;
    }

    private static void Apply(SilenceRequest request, Silence silence, DateTimeOffset now)
    {
        silence.Matchers = [.. request.Matchers!.Select(m => new LabelMatcher { Name = m.Name!, Value = m.Value!, IsNegative = m.IsNegative })];
        silence.StartsAt = request.StartsAt ?? now;
        silence.EndsAt = request.EndsAt!.Value;
        silence.Comment = request.Comment;
    }
}
