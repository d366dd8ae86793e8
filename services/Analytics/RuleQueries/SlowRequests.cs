using SentryFlow.Analytics.Rollups;

namespace SentryFlow.Analytics.RuleQueries;

/// <summary>
/// Counts the requests of a latency histogram that took a threshold T or longer: the bad events of a latency SLO.
/// A bucket counts as slow when its lower bound is at least T, so T is in effect rounded up to the next bucket
/// boundary (<see cref="LatencyHistogram.MinimumMs"/>·γ^k): exact when T is a boundary, otherwise only requests in
/// [T, that boundary), less than 2 % above T, are counted as fast. Never a request faster than T counted as slow.
/// </summary>
public static class SlowRequests
{
    /// <summary>Relative slack for T computed as a boundary in floating point (a few ulps off must still match it).</summary>
    private const double BoundaryTolerance = 1e-9;

    private static readonly double LogGrowth = Math.Log(LatencyHistogram.Growth);

    public static long Count(IReadOnlyList<long> histogram, double thresholdMs)
    {
        long slow = 0;
        for (var bucket = FirstSlowBucket(thresholdMs); bucket < histogram.Count; bucket++)
        {
            slow += histogram[bucket];
        }

        return slow;
    }

    /// <summary>The first bucket whose lower bound (bucket i ≥ 1 starts at minimum·γ^(i−1)) is at least <paramref name="thresholdMs"/>.</summary>
    private static int FirstSlowBucket(double thresholdMs)
    {
        // Bucket 0 holds everything under the minimum, from 0: never wholly slow for T > 0.
        if (thresholdMs <= LatencyHistogram.MinimumMs)
        {
            return 1;
        }

        var exponent = Math.Log(thresholdMs / LatencyHistogram.MinimumMs) / LogGrowth;
        var first = 1 + Math.Ceiling(exponent - BoundaryTolerance);
        return first > LatencyHistogram.MaxBucket + 1 ? LatencyHistogram.MaxBucket + 1 : (int)first;
    }
}
