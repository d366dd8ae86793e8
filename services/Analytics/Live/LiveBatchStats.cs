using SentryFlow.Analytics.Rollups;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Analytics.Live;

/// <summary>
/// What one stored batch adds to the live view: counts, and its latency histogram sparsely (the
/// <see cref="LatencyHistogram"/> buckets used and their counts), so that watchers can merge batches into a second.
/// </summary>
public sealed record LiveBatchStats(int Requests, int Errors4xx, int Errors5xx, int[] Buckets, long[] Counts)
{
    public static LiveBatchStats From(IReadOnlyCollection<RequestRecord> records)
    {
        var histogram = new SortedDictionary<int, long>();
        int errors4xx = 0, errors5xx = 0;
        foreach (var record in records)
        {
            var bucket = LatencyHistogram.BucketOf(record.DurationMs);
            histogram[bucket] = histogram.GetValueOrDefault(bucket) + 1;
            if (record.Status is >= 400 and < 500)
            {
                errors4xx++;
            }
            else if (record.Status >= 500)
            {
                errors5xx++;
            }
        }

        return new LiveBatchStats(records.Count, errors4xx, errors5xx, [.. histogram.Keys], [.. histogram.Values]);
    }
}
