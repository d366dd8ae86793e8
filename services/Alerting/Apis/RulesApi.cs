using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SentryFlow.Alerting.Apis.Requests;
using SentryFlow.Alerting.Apis.Responses;
using SentryFlow.Alerting.Destinations;
using SentryFlow.Alerting.Evaluation;
using SentryFlow.Alerting.Infrastructure;
using SentryFlow.Alerting.Notifications;
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

    private static async Task<IResult> ListAsync(Guid projectId, AlertingDbContext db, ChannelSecrets secrets, CancellationToken cancellationToken)
    {
        var rules = await db.Rules.AsNoTracking().Where(r => r.ProjectId == projectId).OrderBy(r => r.Name).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(rules.Select(rule => RuleResponse.From(rule, secrets)));
    }

    private static async Task<IResult> GetAsync(Guid projectId, Guid ruleId, AlertingDbContext db, ChannelSecrets secrets, CancellationToken cancellationToken) =>
        await FindAsync(db, projectId, ruleId, cancellationToken) is { } rule
            ? TypedResults.Ok(RuleResponse.From(rule, secrets))
            : NotFound(ruleId);

    /// <summary>A new rule is first evaluated at the next slot of the evaluation schedule (<see cref="EvaluationSchedule"/>).</summary>
    private static async Task<IResult> CreateAsync(
        Guid projectId, RuleRequest request, AlertingDbContext db, ChannelSecrets secrets, DestinationPolicy destinations, IOptions<AlertingOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (RuleValidator.Validate(request, destinations).ToResult() is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        var rule = new AlertRule
        {
            ProjectId = projectId,
            CreatedAt = now,
            UpdatedAt = now,
            NextEvaluationAt = EvaluationSchedule.FirstSlotFrom(now, options.Value.EvaluationInterval),
        };
        RuleValidator.Apply(request, rule);
        secrets.Protect(rule.Channels);
        db.Rules.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/projects/{projectId}/alerting/rules/{rule.Id}", RuleResponse.From(rule, secrets));
    }

    /// <summary>Replaces the rule; when its channels change, what it had not sent yet is cancelled (it may go to a channel no longer there).</summary>
    private static async Task<IResult> ReplaceAsync(
        Guid projectId, Guid ruleId, RuleRequest request, AlertingDbContext db, ChannelSecrets secrets, DestinationPolicy destinations,
        IOptions<AlertingOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (RuleValidator.Validate(request, destinations).ToResult() is { } invalid)
        {
            return invalid;
        }

        if (await FindAsync(db, projectId, ruleId, cancellationToken, tracked: true) is not { } rule)
        {
            return NotFound(ruleId);
        }

        var before = rule.Channels.Select(secrets.Unprotected).ToList();
        RuleValidator.Apply(request, rule);
        var channelsChanged = before.Count != rule.Channels.Count || before.Zip(rule.Channels).Any(pair => !pair.First.SameAs(pair.Second));
        secrets.Protect(rule.Channels);
        var now = time.GetUtcNow();
        rule.UpdatedAt = now;
        rule.NextEvaluationAt = EvaluationSchedule.FirstSlotFrom(now, options.Value.EvaluationInterval);
        await db.InTransactionAsync(async ct =>
        {
            if (channelsChanged)
            {
                await PendingDeliveries.CancelAsync(db, rule.Id, PendingDeliveries.ChannelsChanged, ct);
            }

            return await db.SaveChangesAsync(ct);
        }, cancellationToken);
        return TypedResults.Ok(RuleResponse.From(rule, secrets));
    }

    /// <summary>Deletes the rule with its alerts; its deliveries stay in the log, the ones not sent yet cancelled.</summary>
    private static async Task<IResult> DeleteAsync(Guid projectId, Guid ruleId, AlertingDbContext db, CancellationToken cancellationToken)
    {
        var deleted = await db.InTransactionAsync(async ct =>
        {
            var count = await db.Rules.Where(r => r.ProjectId == projectId && r.Id == ruleId).ExecuteDeleteAsync(ct);
            if (count > 0)
            {
                await PendingDeliveries.CancelAsync(db, ruleId, PendingDeliveries.RuleDeleted, ct);
            }

            return count;
        }, cancellationToken);
        return deleted == 0 ? NotFound(ruleId) : TypedResults.NoContent();
    }

    /// <summary>Evaluates the rule now without changing its alerts or notifying anyone.</summary>
    private static async Task<IResult> TestAsync(
        Guid projectId, Guid ruleId, AlertingDbContext db, RuleMeasurer measurer, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, projectId, ruleId, cancellationToken) is not { } rule)
        {
            return NotFound(ruleId);
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

    private static IResult NotFound(Guid ruleId) => AlertingProblems.RuleNotFound.Result($"No rule {ruleId} in this project.");

    private static Task<AlertRule?> FindAsync(AlertingDbContext db, Guid projectId, Guid ruleId, CancellationToken cancellationToken, bool tracked = false)
    {
        var rules = tracked ? db.Rules : db.Rules.AsNoTracking();
        return rules.FirstOrDefaultAsync(r => r.ProjectId == projectId && r.Id == ruleId, cancellationToken);
    }
}
