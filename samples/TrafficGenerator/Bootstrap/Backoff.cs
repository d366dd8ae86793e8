namespace SentryFlow.Samples.TrafficGenerator.Bootstrap;

/// <summary>Tries again after 1 s, 2 s, 4 s... up to <see cref="MaxDelay"/>, for as long as it takes: services restart.</summary>
public static class Backoff
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1 (the first retry follows attempt 1).</summary>
    public static TimeSpan DelayAfter(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Min(attempt - 1, 20)));

    public static async Task<T> RetryAsync<T>(
        Func<CancellationToken, Task<T>> action, string what, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action(cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or PlatformCallException or TaskCanceledException or TimeoutException or IOException)
            {
                var delay = DelayAfter(attempt);
                // A refusal that is not the services starting (a 400 or 409) will not pass by itself: worth an error.
                var level = e is PlatformCallException { IsTransient: false } ? LogLevel.Error : LogLevel.Warning;
                logger.Log(level, "Could not {What} (attempt {Attempt}): {Reason}; trying again in {Delay}", what, attempt, e.Message, delay);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }
}
