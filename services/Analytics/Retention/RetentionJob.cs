using Microsoft.Extensions.Options;

namespace SentryFlow.Analytics.Retention;

/// <summary>Runs <see cref="RetentionSweeper"/> at start and then every <see cref="RetentionOptions.Interval"/>.</summary>
public sealed partial class RetentionJob(RetentionSweeper sweeper, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                await sweeper.RunAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The retention job failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
