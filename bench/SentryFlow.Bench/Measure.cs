using System.Diagnostics;

namespace SentryFlow.Bench;

/// <summary>Runs an operation many times over a few workers and summarizes the latencies.</summary>
public static class Measure
{
    public static async Task<Summary> RunAsync(int total, int workers, Func<int, Task> operation)
    {
        var latencies = new double[total];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var start = Stopwatch.GetTimestamp();
                await operation(i);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })));
        clock.Stop();
        Array.Sort(latencies);
        return new Summary(total / clock.Elapsed.TotalSeconds, latencies.Average(), latencies[total / 2], latencies[(int)(total * 0.95)], latencies[(int)(total * 0.99)]);
    }

    public sealed record Summary(double PerSecond, double MeanMs, double P50Ms, double P95Ms, double P99Ms)
    {
        public override string ToString() =>
            $"{PerSecond,9:F0}/s   mean {MeanMs:F3} ms   p50 {P50Ms:F3} ms   p95 {P95Ms:F3} ms   p99 {P99Ms:F3} ms";
    }
}
