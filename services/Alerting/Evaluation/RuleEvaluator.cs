using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SentryFlow.Alerting.Alerts;
using SentryFlow.Alerting.Infrastructure;
using SentryFlow.Alerting.Notifications;
using SentryFlow.Alerting.Rules;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Alerting.Evaluation;

/// <summary>
/// Evaluates due rules on every instance. A rule is claimed by one atomic statement that moves its
/// <c>NextEvaluationAt</c> to the next slot under <c>FOR UPDATE SKIP LOCKED</c>: that is the lease, so with any
/// number of instances exactly one evaluates a rule per interval. Alerts carry a row version, so an evaluation
/// never overwrites a user's acknowledgement (the loser's changes are dropped and the next round sees both).
/// A firing alert wakes its notification group in the same transaction; <see cref="GroupFlusher"/> decides the
/// notifications and <see cref="DeliveryDispatcher"/> sends them, so a slow receiver never delays an evaluation.
/// </summary>
public sealed partial class RuleEvaluator(
    IServiceScopeFactory scopes, IOptions<AlertingOptions> options, TimeProvider time, ILogger<RuleEvaluator> logger) : BackgroundService
{
    private const int ClaimBatch = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            try
            {
                foreach (var due in await ClaimDueAsync(stoppingToken))
                {
                    await EvaluateAsync(due, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogRoundFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// Claims the rules that are due (see the class remarks) and moves each one's schedule on to the next slot of the
    /// <see cref="EvaluationSchedule"/> (multiples of the interval since the epoch, as Prometheus' rule groups: with
    /// <c>for</c> equal to the interval, the second matching evaluation fires). Returns each rule with the slot it is
    /// evaluated for: the latest one, missed ones are skipped.
    /// </summary>
    public async Task<List<DueRule>> ClaimDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlertingDbContext>();
        var now = time.GetUtcNow();
        var slot = EvaluationSchedule.SlotAt(now, options.Value.EvaluationInterval);
        var next = slot + options.Value.EvaluationInterval;
        return await db.Database.SqlQuery<DueRule>($"""
            UPDATE alerting."Rules" SET "NextEvaluationAt" = {next}
            WHERE "Id" IN (SELECT "Id" FROM alerting."Rules" WHERE "Enabled" AND "NextEvaluationAt" <= {now}
                           ORDER BY "NextEvaluationAt" LIMIT {ClaimBatch} FOR UPDATE SKIP LOCKED)
            RETURNING "Id", {slot} AS "ScheduledAt"
            """).ToListAsync(cancellationToken);
    }

    private async Task EvaluateAsync(DueRule due, CancellationToken cancellationToken)
    {
        var ruleId = due.Id;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlertingDbContext>();
        var rule = await db.Rules.FindAsync([ruleId], cancellationToken);
        if (rule is null)
        {
            return;
        }

        var alerts = await db.Alerts.Where(a => a.RuleId == ruleId).ToDictionaryAsync(a => a.GroupKey, StringComparer.Ordinal, cancellationToken);
        IReadOnlyList<GroupMeasurement>? measurements = null;
        string? failure = null;
        try
        {
            measurements = await scope.ServiceProvider.GetRequiredService<RuleMeasurer>().MeasureAsync(rule, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = exception.Message;
            LogQueryFailed(logger, exception, ruleId);
        }

        var now = due.ScheduledAt;
        var notifier = scope.ServiceProvider.GetRequiredService<Notifier>();
        var fired = new List<Alert>();
        if (measurements is null)
        {
            foreach (var alert in alerts.Values.Where(a => a.State != AlertState.Firing))
            {
                Move(db, alert, AlertState.Error, now, failure);
            }

            if (alerts.Count == 0 && rule.GroupBy is null)
            {
                Move(db, NewAlert(db, rule, "", now), AlertState.Error, now, failure);
            }
        }
        else
        {
            var measured = measurements.ToDictionary(m => m.Group, StringComparer.Ordinal);
            // A group that is no longer in the answer has no data (a route that stopped getting traffic).
            foreach (var group in alerts.Keys.Where(g => !measured.ContainsKey(g)))
            {
                measured[group] = new GroupMeasurement(group, null, false);
            }

            foreach (var measurement in measured.Values)
            {
                if (!alerts.TryGetValue(measurement.Group, out var alert))
                {
                    if (!measurement.Matches && rule.GroupBy is not null)
                    {
                        continue; // one alert per group that ever matched, not per route ever seen
                    }

                    alert = NewAlert(db, rule, measurement.Group, now);
                }

                if (Step(db, rule, alert, measurement, now))
                {
                    fired.Add(alert);
                }
            }
        }

        try
        {
            // The alerts and the wake-up of their notification groups commit together (the wake-up takes the group's lock).
            await db.InTransactionAsync(async ct =>
            {
                await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
                foreach (var alert in fired)
                {
                    await notifier.WakeGroupAsync(rule, alert, now, ct);
                }

                return true;
            }, cancellationToken);
            db.ChangeTracker.AcceptAllChanges();
        }
        catch (DbUpdateException exception)
        {
            // Someone (a user's acknowledgement, a late evaluation) changed an alert meanwhile: this round's result is
            // dropped; the next one starts from what they wrote.
            LogConflict(logger, exception, ruleId);
        }
    }

    /// <summary>Moves the alert on; true when it started firing (its notification group is then woken).</summary>
    private static bool Step(AlertingDbContext db, AlertRule rule, Alert alert, GroupMeasurement measurement, DateTimeOffset now)
    {
        var before = alert.State;
        var after = AlertLifecycle.Next(alert, rule, measurement.Value, measurement.Matches, now);
        alert.Value = measurement.Value;
        if (after == before)
        {
            return false;
        }

        string? reason = null;
        if (after == AlertState.Firing)
        {
            alert.FiredAt = now;
            alert.ResolvedAt = null;
            alert.ResolvedBy = null;
            if (alert.IsAcknowledgedAt(now))
            {
                reason = $"acknowledged by {alert.AcknowledgedBy}: not notified again";
            }

            db.AddIntegrationEvent(new AlertFired(
                alert.Id, rule.Id, rule.ProjectId, rule.Name, rule.Severity, alert.GroupKey, alert.Value,
                NotificationMessages.For(rule, alert, Notifier.Firing).Labels, now));
        }
        else if (before == AlertState.Firing)
        {
            // Its notification group is flushed every group interval while it holds a firing alert: the receivers hear
            // of the resolution there.
            alert.ResolvedAt = now;
            db.AddIntegrationEvent(new AlertResolved(alert.Id, rule.Id, rule.ProjectId, rule.Name, alert.GroupKey, null, now));
        }

        Move(db, alert, after, now, reason);
        return after == AlertState.Firing;
    }

    private static Alert NewAlert(AlertingDbContext db, AlertRule rule, string group, DateTimeOffset now)
    {
        var alert = new Alert { RuleId = rule.Id, ProjectId = rule.ProjectId, GroupKey = group, State = AlertState.Inactive, UpdatedAt = now };
        db.Alerts.Add(alert);
        return alert;
    }

    private static void Move(AlertingDbContext db, Alert alert, AlertState to, DateTimeOffset now, string? reason)
    {
        if (alert.State == to)
        {
            return;
        }

        db.Transitions.Add(new AlertTransition { AlertId = alert.Id, From = alert.State, To = to, At = now, Value = alert.Value, Reason = reason });
        alert.State = to;
        alert.UpdatedAt = now;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An evaluation round failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The query of rule {RuleId} failed")]
    private static partial void LogQueryFailed(ILogger logger, Exception exception, Guid ruleId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rule {RuleId}'s alerts changed during its evaluation; its result is dropped")]
    private static partial void LogConflict(ILogger logger, Exception exception, Guid ruleId);
}
