using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SentryFlow.Alerting.Apis.Requests;
using SentryFlow.Alerting.Apis.Responses;
using SentryFlow.Alerting.Infrastructure;
using SentryFlow.Alerting.Rules;
using SentryFlow.Alerting.Silences;
using SentryFlow.ServiceDefaults.Authentication;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Alerting.Apis;

/// <summary>A project's silences by label matchers and time range: viewers read, members create and expire them.</summary>
public static class SilencesApi
{
    private const int MaxMatchers = 20;

    /// <summary>As long as a rule's label value may be (a longer one could never match).</summary>
    private const int MaxMatcherValueLength = 1000;

    private const int MaxCommentLength = 1000;

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
            : NotFound(silenceId);

    private static async Task<IResult> CreateAsync(
        Guid projectId, SilenceRequest request, ClaimsPrincipal user, AlertingDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (Validate(request, now).ToResult() is { } invalid)
        {
            return invalid;
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
        if (Validate(request, now).ToResult() is { } invalid)
        {
            return invalid;
        }

        if (await db.Silences.FirstOrDefaultAsync(s => s.ProjectId == projectId && s.Id == silenceId, cancellationToken) is not { } silence)
        {
            return NotFound(silenceId);
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
        return expired == 0 ? NotFound(silenceId) : TypedResults.NoContent();
    }

    /// <summary>Every bad field; every string is capped (a matcher is a label name and a value as alerts carry them).</summary>
    private static ProblemErrors Validate(SilenceRequest request, DateTimeOffset now)
    {
        var errors = new ProblemErrors();
        if (request.Matchers is not { Count: > 0 and <= MaxMatchers } matchers)
        {
            errors.Add(AlertingProblems.SilenceInvalid, "matchers", $"1 to {MaxMatchers} matchers, each with a name and a value.");
        }
        else
        {
            for (var i = 0; i < matchers.Count; i++)
            {
                if (matchers[i] is not { } matcher)
                {
                    errors.Add(AlertingProblems.SilenceInvalid, $"matchers[{i}]", "A matcher object, not null.");
                    continue;
                }

                if (!RuleValidator.IsLabelName(matcher.Name))
                {
                    errors.Add(AlertingProblems.SilenceInvalid, $"matchers[{i}].name", "A label name: letters, digits and underscores, not starting with a digit, up to 100 characters.");
                }

                if (matcher.Value is not { Length: <= MaxMatcherValueLength })
                {
                    errors.Add(AlertingProblems.SilenceInvalid, $"matchers[{i}].value", $"Required, at most {MaxMatcherValueLength} characters.");
                }
            }
        }

        if (request.EndsAt is null)
        {
            errors.Add(AlertingProblems.SilenceInvalid, "endsAt", "Required.");
        }
        else if (request.EndsAt <= (request.StartsAt ?? now))
        {
            errors.Add(AlertingProblems.SilenceInvalid, "endsAt", "Must be after startsAt (and after now).");
        }

        if (request.Comment?.Length > MaxCommentLength)
        {
            errors.Add(AlertingProblems.SilenceInvalid, "comment", $"At most {MaxCommentLength} characters.");
        }

        return errors;
    }

    private static IResult NotFound(Guid silenceId) => AlertingProblems.SilenceNotFound.Result($"No silence {silenceId} in this project.");

    private static void Apply(SilenceRequest request, Silence silence, DateTimeOffset now)
    {
        silence.Matchers = [.. request.Matchers!.Select(m => new LabelMatcher { Name = m!.Name!, Value = m.Value!, IsNegative = m.IsNegative })];
        silence.StartsAt = request.StartsAt ?? now;
        silence.EndsAt = request.EndsAt!.Value;
        silence.Comment = request.Comment;
    }
}
