namespace SentryFlow.Analytics.Rollups;

/// <summary>
/// How roll-up rows store a <see cref="LatencyHistogram"/>: only its non-empty buckets, one <c>bigint</c> each
/// (bucket · 2⁴⁸ + count), in bucket order. A minute row usually holds one or two entries (8 bytes each) where the
/// dense array held every bucket up to the highest used (≈ 3 KB at 300 ms). PostgreSQL merges them with
/// <c>analytics.packed_histogram_add</c>, or by unnesting: <c>e &gt;&gt; 48</c> is the bucket, <c>e &amp; <see cref="CountMask"/></c> the count.
/// </summary>
public static class PackedHistogram
{
    public const int BucketShift = 48;

    public const long CountMask = (1L << BucketShift) - 1;

    public static long Entry(int bucket, long count) => ((long)bucket << BucketShift) | count;

    public static int BucketOf(long entry) => (int)(entry >> BucketShift);

    public static long CountOf(long entry) => entry & CountMask;

    /// <summary>The non-empty buckets of a dense histogram.</summary>
    public static long[] Pack(ReadOnlySpan<long> dense)
    {
        var entries = new List<long>();
        for (var bucket = 0; bucket < dense.Length; bucket++)
        {
            if (dense[bucket] != 0)
            {
                entries.Add(Entry(bucket, dense[bucket]));
            }
        }

        return [.. entries];
    }
}
