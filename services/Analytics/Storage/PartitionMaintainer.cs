namespace SentryFlow.Analytics.Storage;

/// <summary>Creates the raw records' partitions for the days around today, at start and then every hour.</summary>
public sealed partial class PartitionMaintainer(RecordPartitions partitions, TimeProvider time, ILogger<PartitionMaintainer> logger) : BackgroundService
{
    /// <summary>Days before today that get a partition (late records).</summary>
    public const int DaysBehind = 3;

    /// <summary>Days after today that get a partition (made ahead, and clocks that run fast).</summary>
    public const int DaysAhead = 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var today = RecordPartitions.DayOf(time.GetUtcNow());
                await partitions.EnsureAsync(Enumerable.Range(-DaysBehind, DaysBehind + DaysAhead + 1).Select(today.AddDays), stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Creating the request records' partitions failed; trying again within the hour")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
