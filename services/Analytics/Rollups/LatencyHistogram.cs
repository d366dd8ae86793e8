namespace SentryFlow.Analytics.Rollups;

/// <summary>
/// A mergeable latency sketch with fixed log-scale buckets: bucket 0 holds durations under
/// <see cref="MinimumMs"/>, bucket i ≥ 1 holds [<see cref="MinimumMs"/>·γ^(i−1), <see cref="MinimumMs"/>·γ^i) with
/// γ = <see cref="Growth"/>. Merging is an element-wise sum; a percentile is the bucket where the cumulative count
/// reaches the rank, answered by the bucket's harmonic midpoint, so the relative error is at most (γ−1)/(γ+1) ≈ 1 %.
/// </summary>
public static class LatencyHistogram
{
    public const double Growth = 1.02;

    public const double MinimumMs = 0.1;

    /// <summary>The last bucket (about 0.1 ms · 1.02^1199 ≈ 2·10⁹ ms); longer durations are counted in it.</summary>
    public const int MaxBucket = 1200;

    private static readonly double LogGrowth = Math.Log(Growth);

    public static int BucketOf(double durationMs)
    {
        if (double.IsNaN(durationMs) || durationMs < MinimumMs)
        {
            return 0;
        }

        var bucket = 1 + (int)Math.Floor(Math.Log(durationMs / MinimumMs) / LogGrowth);
        return Math.Clamp(bucket, 1, MaxBucket);
    }

    /// <summary>The value that stands for bucket <paramref name="bucket"/>.</summary>
    public static double ValueOf(int bucket)
    {
        if (bucket <= 0)
        {
            return MinimumMs / 2;
        }

        var low = MinimumMs * Math.Pow(Growth, bucket - 1);
        return low * 2 * Growth / (1 + Growth);
    }

    public static void Add(ref long[] histogram, double durationMs, long count = 1)
    {
        var bucket = BucketOf(durationMs);
        if (histogram.Length <= bucket)
        {
            Array.Resize(ref histogram, bucket + 1);
        }

        histogram[bucket] += count;
    }

    /// <summary>
    /// The nearest-rank percentile (<paramref name="quantile"/> in (0, 1]): the value of the ⌈q·n⌉-th smallest
    /// duration's bucket; null when nothing was counted.
    /// </summary>
    public static double? Percentile(IReadOnlyList<long> histogram, double quantile)
    {
        long total = 0;
        foreach (var count in histogram)
        {
            total += count;
        }

        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long cumulative = 0;
        for (var bucket = 0; bucket < histogram.Count; bucket++)
        {
            cumulative += histogram[bucket];
            if (cumulative >= rank)
            {
                return Math.Round(ValueOf(bucket), 3);
            }
        }

        return Math.Round(ValueOf(histogram.Count - 1), 3);
    }

    /// <summary>
    /// Apdex for threshold T: (satisfied + tolerating / 2) / total, satisfied meaning at most T and tolerating at most
    /// 4T. Each bucket is judged by the value that stands for it, so only durations within about 2 % of T or 4T can be
    /// judged on the wrong side; null when nothing was counted.
    /// </summary>
    public static double? Apdex(IReadOnlyList<long> histogram, double thresholdMs)
    {
        long total = 0, satisfied = 0, tolerating = 0;
        for (var bucket = 0; bucket < histogram.Count; bucket++)
        {
            var count = histogram[bucket];
            total += count;
            var value = ValueOf(bucket);
            if (value <= thresholdMs)
            {
                satisfied += count;
            }
            else if (value <= 4 * thresholdMs)
            {
                tolerating += count;
            }
        }

        return total == 0 ? null : (satisfied + (tolerating / 2.0)) / total;
    }
}
