using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SentryFlow.Alerting.Alerts;
using SentryFlow.Alerting.Infrastructure;
using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Notifications;

/// <summary>
/// Decides notifications the way Alertmanager does: an alert that fires wakes its <see cref="NotificationGroup"/>;
/// a flush of the group compares the group's alerts with what its receivers were last told and, when something
/// changed (or the repeat interval has passed), writes one <see cref="Delivery"/> per channel with all of the group's
/// firing alerts and the ones resolved since. Silenced and acknowledged alerts are left out (an acknowledgement that
/// lapses puts its alert back: in the next repeat, or at the next group interval if the receivers never heard of it).
/// </summary>
public sealed class Notifier(AlertingDbContext db, IOptions<AlertingOptions> options)
{
    public const string Firing = "firing";
    public const string Resolved = "resolved";
    public const string Acknowledged = "acknowledged";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Makes sure the group of a firing alert is looked at: a new (or idle) group is flushed after the group wait, a
    /// busy one at its next group interval. One statement under the group's row lock, so it never races a flush; run
    /// it in the transaction that makes the alert fire.
    /// </summary>
    public async Task WakeGroupAsync(AlertRule rule, Alert alert, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var labels = NotificationGroups.LabelsOf(rule, NotificationMessages.For(rule, alert, Firing).Labels);
        var key = NotificationGroups.KeyOf(labels);
        var flushAt = now + NotificationGroups.Wait(rule, options.Value);
        var json = JsonSerializer.Serialize(labels, JsonOptions);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO alerting."NotificationGroups" ("Id", "ProjectId", "RuleId", "Key", "Labels", "NextFlushAt", "Notified")
            VALUES ({Guid.CreateVersion7()}, {rule.ProjectId}, {rule.Id}, {key}, {json}::jsonb, {flushAt}, '[]'::jsonb)
            ON CONFLICT ("RuleId", "Key") DO UPDATE SET "NextFlushAt" = COALESCE("NotificationGroups"."NextFlushAt", EXCLUDED."NextFlushAt")
            """, cancellationToken);
    }

    /// <summary>
    /// Flushes a group the caller holds locked: sends when an alert is new to the receivers or one they heard of has
    /// ended, or repeats an unchanged firing group after the repeat interval; records newly silenced alerts; and sets
    /// when to look again (every group interval while anything fires or is left to report, else never: idle).
    /// </summary>
    public async Task FlushAsync(NotificationGroup group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rule = await db.Rules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == group.RuleId, cancellationToken);
        if (rule is null)
        {
            db.Remove(group);
            return;
        }

        var members = (await db.Alerts.AsNoTracking().Where(a => a.RuleId == rule.Id).OrderBy(a => a.GroupKey).ToListAsync(cancellationToken))
            .Select(alert => (Alert: alert, Message: NotificationMessages.For(rule, alert, Firing)))
            .Where(member => NotificationGroups.KeyOf(rule, member.Message.Labels) == group.Key)
            .ToList();
        var byId = members.ToDictionary(m => m.Alert.Id);

        // What the receivers heard of and still holds (same alert, same firing), and what has ended since.
        var kept = new List<NotifiedAlert>();
        var resolved = new List<NotificationMessage>();
        foreach (var entry in group.Notified)
        {
            if (!byId.TryGetValue(entry.AlertId, out var member))
            {
                continue; // deleted, or regrouped by a changed rule
            }

            if (member.Alert.State == AlertState.Firing && member.Alert.FiredAt == entry.StartsAt)
            {
                kept.Add(entry);
            }
            else if (!entry.Silenced)
            {
                resolved.Add(ResolvedMessage(rule, member.Alert, entry));
            }
        }

        var silences = await db.Silences.AsNoTracking()
            .Where(s => s.ProjectId == rule.ProjectId && s.StartsAt <= now && s.EndsAt > now)
            .ToListAsync(cancellationToken);
        var reportedResolved = resolved.Select(m => m.AlertId).ToHashSet();
        var firing = members
            .Where(m => m.Alert.State == AlertState.Firing && !m.Alert.IsAcknowledgedAt(now) && !reportedResolved.Contains(m.Alert.Id))
            .ToList();
        var muted = firing.Where(m => silences.Any(s => s.Mutes(m.Message.Labels, now))).ToList();
        var active = firing.Except(muted).ToList();
        var heard = kept.Where(k => !k.Silenced).Select(k => k.AlertId).ToHashSet();

        var changed = resolved.Count > 0 || active.Any(m => !heard.Contains(m.Alert.Id));
        var repeat = active.Count > 0 && group.LastSentAt + NotificationGroups.Repeat(rule, options.Value) <= now;
        var notified = kept;
        if (changed || repeat)
        {
            Enqueue(rule, group, Notification(rule, group, [.. active.Select(m => m.Message), .. resolved]), active.Count > 0 ? Firing : Resolved, DeliveryStatus.Pending, now);
            group.LastSentAt = now;
            var sent = active.Select(m => m.Alert.Id).ToHashSet();
            notified = [.. kept.Where(k => !sent.Contains(k.AlertId)), .. active.Select(m => new NotifiedAlert { AlertId = m.Alert.Id, StartsAt = m.Alert.FiredAt!.Value })];
        }

        var newlyMuted = muted.Where(m => !kept.Any(k => k.AlertId == m.Alert.Id)).ToList();
        if (newlyMuted.Count > 0)
        {
            Enqueue(rule, group, Notification(rule, group, [.. newlyMuted.Select(m => m.Message)]), Firing, DeliveryStatus.Silenced, now);
            notified = [.. notified, .. newlyMuted.Select(m => new NotifiedAlert { AlertId = m.Alert.Id, StartsAt = m.Alert.FiredAt!.Value, Silenced = true })];
        }

        group.Notified = notified;
        if (notified.Count > 0 || members.Any(m => m.Alert.State == AlertState.Firing))
        {
            group.NextFlushAt = now + NotificationGroups.Interval(rule, options.Value);
        }
        else
        {
            // Nothing left: the next alert starts a new group (with the group wait), as in Alertmanager.
            group.NextFlushAt = null;
            group.LastSentAt = null;
        }
    }

    /// <summary>
    /// PagerDuty hears that someone is on it once every alert of the group it was told of is acknowledged (its incident
    /// is the group's). The other channels have no notion of acknowledging. Added to the caller's unit of work.
    /// </summary>
    public async Task AcknowledgeAsync(AlertRule rule, Alert alert, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var channels = rule.Channels.Where(c => c.Type == ChannelType.PagerDuty).ToList();
        var message = NotificationMessages.For(rule, alert, Firing);
        var key = NotificationGroups.KeyOf(rule, message.Labels);
        var group = await db.NotificationGroups.AsNoTracking().FirstOrDefaultAsync(g => g.RuleId == rule.Id && g.Key == key, cancellationToken);
        if (channels.Count == 0 || group is null || !group.Notified.Any(n => n.AlertId == alert.Id && !n.Silenced))
        {
            return;
        }

        var others = group.Notified.Where(n => !n.Silenced && n.AlertId != alert.Id).Select(n => n.AlertId).ToList();
        if (await db.Alerts.AnyAsync(a => others.Contains(a.Id) && a.State == AlertState.Firing && a.AcknowledgedAt == null, cancellationToken))
        {
            return;
        }

        Enqueue(rule, group, Notification(rule, group, [message]), Acknowledged, DeliveryStatus.Pending, now, channels);
    }

    private void Enqueue(
        AlertRule rule, NotificationGroup group, GroupNotification notification, string @event, DeliveryStatus status, DateTimeOffset now,
        IReadOnlyList<NotificationChannel>? channels = null)
    {
        foreach (var channel in channels ?? rule.Channels)
        {
            db.Deliveries.Add(new Delivery
            {
                ProjectId = rule.ProjectId,
                RuleId = rule.Id,
                GroupId = group.Id,
                AlertIds = [.. notification.Alerts.Select(a => a.AlertId)],
                Event = @event,
                Channel = channel.Copy(),
                Notification = notification,
                Status = status,
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }
    }

    private static GroupNotification Notification(AlertRule rule, NotificationGroup group, List<NotificationMessage> alerts) => new()
    {
        Status = alerts.Any(a => a.Status == Firing) ? Firing : Resolved,
        RuleName = rule.Name,
        Severity = rule.Severity,
        GroupKey = group.Key,
        GroupLabels = group.Labels,
        Alerts = alerts,
    };

    /// <summary>The alert the receivers heard of, ended: when it resolved (or, if it already fired again, when that began).</summary>
    private static NotificationMessage ResolvedMessage(AlertRule rule, Alert alert, NotifiedAlert heard)
    {
        var message = NotificationMessages.For(rule, alert, Resolved);
        message.StartsAt = heard.StartsAt;
        message.EndsAt = alert.State == AlertState.Firing ? alert.FiredAt : alert.ResolvedAt ?? alert.UpdatedAt;
        return message;
    }
}
