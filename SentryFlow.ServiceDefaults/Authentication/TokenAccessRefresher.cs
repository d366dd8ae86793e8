using Microsoft.Extensions.Hosting;

namespace SentryFlow.ServiceDefaults.Authentication;

/// <summary>Keeps <see cref="TokenAccessCache"/>'s answers fresh: every <see cref="TokenAccessCache.RefreshInterval"/>.</summary>
public sealed class TokenAccessRefresher(TokenAccessCache cache, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TokenAccessCache.RefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await cache.RefreshAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
