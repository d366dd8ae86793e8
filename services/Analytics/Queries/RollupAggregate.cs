using SentryFlow.Analytics.Rollups;

namespace SentryFlow.Analytics.Queries;

/// <summary>Roll-up rows summed over a range (and a group): counts, bytes and the merged latency histogram.</summary>
public sealed class RollupAggregate
{
    public long Count { get; set; }

    public long Errors4xx { get; set; }

    public long Errors5xx { get; set; }

    public long BytesIn { get; set; }

    public long BytesOut { get; set; }

    public double DurationSumMs { get; set; }

    public List<long> Histogram { get; } = [];

    /// <summary>Requests answered 4xx or 5xx.</summary>
    public long Errors => Errors4xx + Errors5xx;

    /// <summary>Errors over requests (0 with no requests).</summary>
    public double ErrorRate => Count == 0 ? 0 : (double)Errors / Count;

    public double? Percentile(double quantile) => LatencyHistogram.Percentile(Histogram, quantile);

    /// <summary>Adds a histogram stored as <see cref="PackedHistogram"/> entries.</summary>
    public void AddPacked(long[] entries)
    {
        foreach (var entry in entries)
        {
            AddToBucket(PackedHistogram.BucketOf(entry), PackedHistogram.CountOf(entry));
        }
    }

    public void AddToBucket(int bucket, long count)
    {
        while (Histogram.Count <= bucket)
        {
            Histogram.Add(0);
        }

        Histogram[bucket] += count;
    }
}
