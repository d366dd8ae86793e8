using Microsoft.EntityFrameworkCore;
using SentryFlow.Alerting.Infrastructure;

namespace SentryFlow.Alerting.Notifications;

/// <summary>Deliveries not sent yet, which a change of their rule makes moot.</summary>
public static class PendingDeliveries
{
    public const string RuleDeleted = "Cancelled: the rule was deleted.";

    public const string ChannelsChanged = "Cancelled: the rule's channels changed.";

    /// <summary>
    /// Cancels the rule's pending deliveries (those waiting for a retry round included): a deleted rule, or a channel
    /// removed from it, sends nothing more. The dispatcher never turns a cancelled delivery back (it writes its
    /// outcomes only onto deliveries still pending).
    /// </summary>
    public static Task<int> CancelAsync(AlertingDbContext db, Guid ruleId, string reason, CancellationToken cancellationToken) =>
        db.Deliveries.Where(d => d.RuleId == ruleId && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.Status, DeliveryStatus.Cancelled).SetProperty(x => x.LastError, reason), cancellationToken);
}
