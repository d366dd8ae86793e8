using System.Diagnostics;

namespace SentryFlow.AppHost.Tests;

/// <summary>Polls for something that happens eventually (over the bus, on the next evaluation), with a deadline.</summary>
public static class JourneyPoll
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Probes until <paramref name="done"/> holds for what it returns, and returns that; fails after
    /// <paramref name="timeout"/> naming <paramref name="what"/> and the last thing seen.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (elapsed.Elapsed > timeout)
            {
                Assert.Fail($"{what}: not after {timeout.TotalSeconds:0} s; last seen: {value}");
            }

            await Task.Delay(Pause);
        }
    }
}
