using Microsoft.EntityFrameworkCore;
using SentryFlow.Alerting.Apis.Requests;
using SentryFlow.Alerting.Apis.Responses;
using SentryFlow.Alerting.Evaluation;
using SentryFlow.Alerting.Infrastructure;
using SentryFlow.Alerting.Rules;
using SentryFlow.ServiceDefaults.Authentication;

namespace SentryFlow.Alerting.Apis;

/// <summary>A project's alert rules: viewers read them, project admins manage them, members may test one now.</summary>
public static class RulesApi
{
    public static IEndpointRouteBuilder MapRulesApi(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/api/projects/{projectId:guid}/alerting/rules").WithTags("Alert rules");
        rules.MapGet("/", ListAsync).RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        rules.MapGet("/{ruleId:guid}", GetAsync).RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        rules.MapPost("/", CreateAsync).RequireAuthorization(SentryFlowPolicies.ProjectAdmin);
        rules.MapPut("/{ruleId:guid}", ReplaceAsync).RequireAuthorization(SentryFlowPolicies.ProjectAdmin);
        rules.MapDelete("/{ruleId:guid}", DeleteAsync).RequireAuthorization(SentryFlowPolicies.ProjectAdmin);
        rules.MapPost("/{ruleId:guid}/test", TestAsync).RequireAuthorization(SentryFlowPolicies.ProjectMember);
        return app;
    }

    private static async Task<IResult> ListAsync(Guid projectId, AlertingDbContext db, CancellationToken cancellationToken)
    {
        var rules = await db.Rules.AsNoTracking().Where(r => r.ProjectId == projectId).OrderBy(r => r.Name).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(rules.Select(RuleResponse.From));
    }

    private static async Task<IResult> GetAsync(Guid projectId, Guid ruleId, AlertingDbContext db, CancellationToken cancellationToken) =>
        await FindAsync(db, projectId, ruleId, cancellationToken) is { } rule ? TypedResults.Ok(RuleResponse.From(rule)) : TypedResults.NotFound();

    private static async Task<IResult> CreateAsync(
        Guid projectId, RuleRequest request, AlertingDbContext db, ChannelSecrets secrets, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = RuleValidator.Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = time.GetUtcNow();
        var rule = new AlertRule { ProjectId = projectId, CreatedAt = now, UpdatedAt = now, NextEvaluationAt = now };
        RuleValidator.Apply(request, rule);
        secrets.Protect(rule.Channels);
        db.Rules.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/projects/{projectId}/alerting/rules/{rule.Id}", RuleResponse.From(rule));
    }

    private static async Task<IResult> ReplaceAsync(
        Guid projectId, Guid ruleId, RuleRequest request, AlertingDbContext db, ChannelSecrets secrets, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = RuleValidator.Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await FindAsync(db, projectId, ruleId, cancellationToken, tracked: true) is not { } rule)
        {
            return TypedResults.NotFound();
        }

        RuleValidator.Apply(request, rule);
        secrets.Protect(rule.Channels);
        rule.UpdatedAt = rule.NextEvaluationAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(RuleResponse.From(rule));
    }

    private static async Task<IResult> DeleteAsync(Guid projectId, Guid ruleId, AlertingDbContext db, CancellationToken cancellationToken) =>
        await db.Rules.Where(r => r.ProjectId == projectId && r.Id == ruleId).ExecuteDeleteAsync(cancellationToken) == 0
            ? TypedResults.NotFound()
            : TypedResults.NoContent();

    /// <summary>Evaluates the rule now without changing its alerts or notifying anyone.</summary>
    private static async Task<IResult> TestAsync(
        Guid projectId, Guid ruleId, AlertingDbContext db, RuleMeasurer measurer, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, projectId, ruleId, cancellationToken) is not { } rule)
        {
            return TypedResults.NotFound();
        }

        try
        {
            var groups = await measurer.MeasureAsync(rule, cancellationToken);
            var value = rule.GroupBy is null ? groups.SingleOrDefault()?.Value : groups.Max(g => g.Value);
            return TypedResults.Ok(new DryRunResponse(value, groups.Any(g => g.Matches), groups, null));
        }
        catch (HttpRequestException exception)
        {
            return TypedResults.Ok(new DryRunResponse(null, false, [], exception.Message));
        }
    }

    private static Task<AlertRule?> FindAsync(AlertingDbContext db, Guid projectId, Guid ruleId, CancellationToken cancellationToken, bool tracked = false)
    {
        var rules = tracked ? db.Rules : db.Rules.AsNoTracking();
        return rules.FirstOrDefaultAsync(r => r.ProjectId == projectId && r.Id == ruleId, cancellationToken);
    }
}
