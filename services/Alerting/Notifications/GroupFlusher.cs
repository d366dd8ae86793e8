using Microsoft.EntityFrameworkCore;
using SentryFlow.Alerting.Infrastructure;

namespace SentryFlow.Alerting.Notifications;

/// <summary>
/// Flushes due notification groups on every instance. A group is taken with <c>FOR UPDATE SKIP LOCKED</c> and held
/// locked while its deliveries, its notification log and its next flush time are written in the same transaction:
/// two instances never flush a group at once, and the second finds it no longer due, so one notification goes out.
/// Flushing only writes rows (the <see cref="DeliveryDispatcher"/> sends them), so it never waits on a receiver.
/// </summary>
public sealed partial class GroupFlusher(IServiceScopeFactory scopes, TimeProvider time, ILogger<GroupFlusher> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private const int Batch = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await FlushDueAsync(stoppingToken) == 0)
                {
                    await Task.Delay(Poll, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogFlushFailed(logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    /// <summary>Flushes the groups that are due now, in one transaction; returns how many.</summary>
    public async Task<int> FlushDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlertingDbContext>();
        var notifier = scope.ServiceProvider.GetRequiredService<Notifier>();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear(); // a retried attempt starts from nothing
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var now = time.GetUtcNow();
            var groups = await db.NotificationGroups.FromSql($"""
                SELECT * FROM alerting."NotificationGroups" WHERE "NextFlushAt" <= {now}
                ORDER BY "NextFlushAt" LIMIT {Batch} FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
            foreach (var group in groups)
            {
                await notifier.FlushAsync(group, now, ct);
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return groups.Count;
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Flushing notification groups failed")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
