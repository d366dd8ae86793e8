using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SentryFlow.Alerting.Alerts;
using SentryFlow.Alerting.Apis.Requests;
using SentryFlow.Alerting.Apis.Responses;
using SentryFlow.Alerting.Infrastructure;
using SentryFlow.Alerting.Notifications;
using SentryFlow.Alerting.Rules;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.ServiceDefaults.Authentication;

namespace SentryFlow.Alerting.Apis;

/// <summary>A project's alerts: viewers list them (with their history), members acknowledge and resolve them.</summary>
public static class AlertsApi
{
    private const int MaxLimit = 500;

    private const int MaxSeverityLength = 32;

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api/projects/{projectId:guid}/alerting/alerts").WithTags("Alerts");
        alerts.MapGet("/", ListAsync).RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        alerts.MapGet("/{alertId:guid}", GetAsync).RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        alerts.MapPost("/{alertId:guid}/acknowledge", AcknowledgeAsync).RequireAuthorization(SentryFlowPolicies.ProjectMember);
        alerts.MapPost("/{alertId:guid}/resolve", ResolveAsync).RequireAuthorization(SentryFlowPolicies.ProjectMember);
        return app;
    }

    private static async Task<IResult> ListAsync(
        Guid projectId, AlertingDbContext db, CancellationToken cancellationToken,
        AlertState? state = null, Guid? ruleId = null, string? severity = null, int limit = 100)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return AlertingProblems.QueryInvalid.Validation("limit", $"Between 1 and {MaxLimit}.");
        }

        if (severity?.Length > MaxSeverityLength)
        {
            return AlertingProblems.QueryInvalid.Validation("severity", $"At most {MaxSeverityLength} characters.");
        }

        var query = from alert in db.Alerts.AsNoTracking()
                    join rule in db.Rules.AsNoTracking() on alert.RuleId equals rule.Id
                    where alert.ProjectId == projectId
                    select new { alert, rule.Name, rule.Severity };
        if (state is not null)
        {
            query = query.Where(x => x.alert.State == state);
        }

        if (ruleId is not null)
        {
            query = query.Where(x => x.alert.RuleId == ruleId);
        }

        if (severity is not null)
        {
            query = query.Where(x => x.Severity == severity);
        }

        var rows = await query.OrderByDescending(x => x.alert.UpdatedAt).ThenBy(x => x.alert.Id).Take(limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(x => Response(x.alert, x.Name, x.Severity)));
    }

    private static async Task<IResult> GetAsync(Guid projectId, Guid alertId, AlertingDbContext db, CancellationToken cancellationToken)
    {
        var found = await (from alert in db.Alerts.AsNoTracking()
                           join rule in db.Rules.AsNoTracking() on alert.RuleId equals rule.Id
                           where alert.ProjectId == projectId && alert.Id == alertId
                           select new { alert, rule.Name, rule.Severity }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return NotFound(alertId);
        }

        var history = await db.Transitions.AsNoTracking().Where(t => t.AlertId == alertId).OrderBy(t => t.Id)
            .Select(t => new TransitionResponse(t.From, t.To, t.At, t.Value, t.Actor, t.Reason)).ToListAsync(cancellationToken);
        return TypedResults.Ok(Response(found.alert, found.Name, found.Severity) with { History = history });
    }

    /// <summary>
    /// Someone is on it: recorded with who and when; PagerDuty hears of it; the alert is not notified (a re-fire stays
    /// quiet) until it is resolved by hand or the optional <c>expiresAt</c> passes.
    /// </summary>
    private static async Task<IResult> AcknowledgeAsync(
        Guid projectId, Guid alertId, AcknowledgeRequest? request, ClaimsPrincipal user, AlertingDbContext db, Notifier notifier, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (request?.ExpiresAt <= now)
        {
            return AlertingProblems.AcknowledgementInvalid.Validation("expiresAt", "A time in the future, or left out (until resolved).");
        }

        return await RetryOnConflictAsync(db, async () =>
        {
            if (await LoadAsync(db, projectId, alertId, cancellationToken) is not var (alert, rule))
            {
                return NotFound(alertId);
            }

            if (alert.State != AlertState.Firing)
            {
                return AlertingProblems.AlertNotFiring.Result($"Only a firing alert can be acknowledged; this one is {alert.State}.");
            }

            var actor = Actor.Of(user);
            alert.AcknowledgedAt = now;
            alert.AcknowledgedBy = actor;
            alert.AcknowledgementExpiresAt = request?.ExpiresAt;
            alert.UpdatedAt = now;
            db.Transitions.Add(new AlertTransition { AlertId = alert.Id, From = alert.State, To = alert.State, At = now, Value = alert.Value, Actor = actor, Reason = "acknowledged" });
            await notifier.AcknowledgeAsync(rule, alert, now, cancellationToken);
            db.AddIntegrationEvent(new AlertAcknowledged(alert.Id, rule.Id, rule.ProjectId, rule.Name, actor, now));
            return await SaveAsync(db, alert, rule, cancellationToken);
        });
    }

    /// <summary>
    /// Resolved by hand: receivers that heard it fire are told at its group's next flush (the group is flushed every
    /// group interval while it holds a firing alert); the rule fires it again if it still matches.
    /// </summary>
    private static async Task<IResult> ResolveAsync(
        Guid projectId, Guid alertId, ClaimsPrincipal user, AlertingDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        return await RetryOnConflictAsync(db, async () =>
        {
            if (await LoadAsync(db, projectId, alertId, cancellationToken) is not var (alert, rule))
            {
                return NotFound(alertId);
            }

            if (alert.State is not (AlertState.Firing or AlertState.Pending))
            {
                return AlertingProblems.AlertNotActive.Result($"Only a firing or pending alert can be resolved; this one is {alert.State}.");
            }

            var now = time.GetUtcNow();
            var actor = Actor.Of(user);
            db.Transitions.Add(new AlertTransition { AlertId = alert.Id, From = alert.State, To = AlertState.Resolved, At = now, Value = alert.Value, Actor = actor, Reason = "resolved by hand" });
            alert.State = AlertState.Resolved;
            alert.ResolvedAt = now;
            alert.ResolvedBy = actor;
            alert.ActiveSince = null;
            alert.AcknowledgedAt = null;
            alert.AcknowledgedBy = null;
            alert.AcknowledgementExpiresAt = null;
            alert.UpdatedAt = now;
            db.AddIntegrationEvent(new AlertResolved(alert.Id, rule.Id, rule.ProjectId, rule.Name, alert.GroupKey, actor, now));
            return await SaveAsync(db, alert, rule, cancellationToken);
        });
    }

    /// <summary>
    /// An evaluation rewrites a firing alert every round (its value, when it last matched): a user's change that loses
    /// that race is made again on the fresh row, a few times, before the caller is told to try again.
    /// </summary>
    private static async Task<IResult> RetryOnConflictAsync(AlertingDbContext db, Func<Task<IResult>> change)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await change();
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateConcurrencyException)
            {
                return AlertingProblems.AlertChanged.Result("The alert changed meanwhile (an evaluation); try again.");
            }
        }
    }

    private static IResult NotFound(Guid alertId) => AlertingProblems.AlertNotFound.Result($"No alert {alertId} in this project.");

    private static async Task<(Alert Alert, AlertRule Rule)?> LoadAsync(AlertingDbContext db, Guid projectId, Guid alertId, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.FirstOrDefaultAsync(a => a.ProjectId == projectId && a.Id == alertId, cancellationToken);
        var rule = alert is null ? null : await db.Rules.AsNoTracking().FirstAsync(r => r.Id == alert.RuleId, cancellationToken);
        return alert is null ? null : (alert, rule!);
    }

    private static async Task<IResult> SaveAsync(AlertingDbContext db, Alert alert, AlertRule rule, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(Response(alert, rule.Name, rule.Severity));
    }

    private static AlertResponse Response(Alert a, string ruleName, string severity) => new(
        a.Id, a.RuleId, ruleName, severity, a.GroupKey, a.State, a.Value, a.ActiveSince, a.FiredAt, a.ResolvedAt, a.ResolvedBy,
        a.AcknowledgedAt, a.AcknowledgedBy, a.AcknowledgementExpiresAt, a.UpdatedAt);
}
