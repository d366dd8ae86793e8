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

    /// <summary>
    /// Counts one duration more in <paramref name="bucket"/> of a histogram kept packed, in bucket order: a roll-up row
    /// of one batch holds a few buckets, so this spares a dense array (kilobytes, zeroed) per row and the scan to pack it.
    /// </summary>
    public static void Increment(List<long> entries, int bucket)
    {
        // Counts are at least 1, so the search never finds (bucket, 0): it gives the place of the bucket's entry or of
        // the first after it.
        var index = ~entries.BinarySearch(Entry(bucket, 0));
        if (index < entries.Count && BucketOf(entries[index]) == bucket)
        {
            entries[index]++;
        }
        else
        {
            entries.Insert(index, Entry(bucket, 1));
        }
    }

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
