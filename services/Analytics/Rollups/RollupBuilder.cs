using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Analytics.Rollups;

/// <summary>Folds records into minute roll-up rows (in memory, before they are merged into the table).</summary>
public static class RollupBuilder
{
    public static IReadOnlyList<MinuteRollup> Build(Guid projectId, IEnumerable<RequestRecord> records)
    {
        var rows = new Dictionary<RollupKey, MinuteRollup>();
        var histograms = new Dictionary<RollupKey, List<long>>();
        foreach (var record in records)
        {
            var key = KeyOf(record);
            if (!rows.TryGetValue(key, out var row))
            {
                row = new MinuteRollup
                {
                    ProjectId = projectId,
                    Minute = key.Minute,
                    Route = key.Route,
                    Method = key.Method,
                    Consumer = key.Consumer,
                    StatusClass = key.StatusClass,
                };
                rows[key] = row;
                histograms[key] = [];
            }

            row.Count++;
            row.Errors4xx += record.Status is >= 400 and < 500 ? 1 : 0;
            row.Errors5xx += record.Status >= 500 ? 1 : 0;
            row.BytesIn += record.RequestSize ?? 0;
            row.BytesOut += record.ResponseSize ?? 0;
            row.DurationSumMs += record.DurationMs;
            PackedHistogram.Increment(histograms[key], LatencyHistogram.BucketOf(record.DurationMs));
        }

        foreach (var (key, histogram) in histograms)
        {
            rows[key].Histogram = [.. histogram];
        }

        // A fixed order, so that concurrent batches lock the rows they share in the same order (no deadlocks).
        return [.. rows.Values
            .OrderBy(r => r.Minute)
            .ThenBy(r => r.Route, StringComparer.Ordinal)
            .ThenBy(r => r.Method, StringComparer.Ordinal)
            .ThenBy(r => r.Consumer, StringComparer.Ordinal)
            .ThenBy(r => r.StatusClass)];
    }

    public static RollupKey KeyOf(RequestRecord record)
    {
        var utc = record.Timestamp.ToUniversalTime();
        var minute = new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        return new RollupKey(minute, record.Route ?? "", record.Method, record.Consumer ?? "", (short)(record.Status / 100));
    }
}
