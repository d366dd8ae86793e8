using Microsoft.EntityFrameworkCore;
using SentryFlow.Alerting.Alerts;
using SentryFlow.Alerting.Infrastructure;
using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Notifications;

/// <summary>
/// Decides an alert's notifications: one <see cref="Delivery"/> per channel of the rule, added to the caller's
/// unit of work (so it commits with the state change), or recorded as silenced when a silence matches.
/// </summary>
public sealed class Notifier(AlertingDbContext db)
{
    public const string Firing = "firing";
    public const string Resolved = "resolved";
    public const string Acknowledged = "acknowledged";

    /// <summary>Adds the deliveries; true when something will be sent (not silenced, some channel).</summary>
    public async Task<bool> EnqueueAsync(AlertRule rule, Alert alert, string @event, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Only PagerDuty has a notion of acknowledging; the others hear of firing and resolving.
        var channels = @event == Acknowledged ? [.. rule.Channels.Where(c => c.Type == ChannelType.PagerDuty)] : rule.Channels;
        if (channels.Count == 0)
        {
            return false;
        }

        var message = NotificationMessages.For(rule, alert, @event == Resolved ? "resolved" : "firing");
        var silences = await db.Silences.AsNoTracking()
            .Where(s => s.ProjectId == rule.ProjectId && s.StartsAt <= now && s.EndsAt > now)
            .ToListAsync(cancellationToken);
        var silenced = silences.Any(s => s.Mutes(message.Labels, now));
        foreach (var channel in channels)
        {
            db.Deliveries.Add(new Delivery
            {
                ProjectId = rule.ProjectId,
                AlertId = alert.Id,
                RuleId = rule.Id,
                Event = @event,
                Channel = channel.Copy(),
                Message = message,
                Status = silenced ? DeliveryStatus.Silenced : DeliveryStatus.Pending,
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }

        return !silenced;
    }
}
