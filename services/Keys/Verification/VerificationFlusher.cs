using MassTransit;
using Microsoft.EntityFrameworkCore;
using SentryFlow.Keys.Infrastructure;

namespace SentryFlow.Keys.Verification;

/// <summary>
/// Every second, writes the used keys' last-used time and live usage count to PostgreSQL in one statement; every
/// five seconds, publishes the verification summary for analytics. A failed pass keeps what it could not write.
/// </summary>
public sealed partial class VerificationFlusher(
    VerificationRecorder recorder, UsageCounter usage, IServiceScopeFactory scopes, ILogger<VerificationFlusher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private const int SummaryEvery = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        var tick = 0;
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                await FlushUsageAsync(stoppingToken);
                if (++tick % SummaryEvery == 0)
                {
                    await PublishSummaryAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPassFailed(logger, exception); // never stop the host over bookkeeping
            }
        }

        // Last pass on shutdown, so a clean stop loses nothing.
        await FlushUsageAsync(CancellationToken.None);
        await PublishSummaryAsync(CancellationToken.None);
    }

    public async Task FlushUsageAsync(CancellationToken cancellationToken)
    {
        var used = recorder.TakeUsed();
        if (used.Count == 0)
        {
            return;
        }

        try
        {
            var ids = used.Keys.ToArray();
            var remaining = await usage.ReadAsync(ids);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KeysDbContext>();
            var usedAt = ids.Select(id => used[id]).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                UPDATE keys."Keys" AS k
                SET "LastUsedAt" = GREATEST(k."LastUsedAt", u.used_at), "Remaining" = CASE WHEN k."Remaining" IS NULL THEN NULL ELSE COALESCE(u.remaining, k."Remaining") END
                FROM unnest({ids}, {usedAt}, {remaining}) AS u(id, used_at, remaining)
                WHERE k."Id" = u.id
                """, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            recorder.RestoreUsed(used);
            LogFlushFailed(logger, exception, used.Count);
        }
    }

    private async Task PublishSummaryAsync(CancellationToken cancellationToken)
    {
        if (recorder.TakeSummary() is not { } summary)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(summary, cancellationToken);
        }
        catch (Exception exception)
        {
            recorder.Restore(summary);
            LogPublishFailed(logger, exception);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not persist the usage of {Count} keys; the live counts stay in Redis")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "A usage flush pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the verification summary; it is kept for the next pass")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
