using Microsoft.Extensions.Options;

namespace SentryFlow.Analytics.Rollups;

/// <summary>Runs <see cref="RollupFolder"/> at start and then every <see cref="RollupFoldOptions.FoldInterval"/>.</summary>
public sealed partial class RollupFoldJob(RollupFolder folder, IOptions<RollupFoldOptions> options, TimeProvider time, ILogger<RollupFoldJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FoldInterval, time);
        do
        {
            try
            {
                var folded = await folder.FoldAsync(stoppingToken);
                if (folded > 0)
                {
                    LogFolded(logger, folded);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Nothing is lost: the periods stay dirty and queries read their minutes until a later run folds them.
                LogFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Folded {Periods} hours and days of roll-ups")]
    private static partial void LogFolded(ILogger logger, int periods);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Folding roll-ups failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
