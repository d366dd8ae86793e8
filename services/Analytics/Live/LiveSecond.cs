using SentryFlow.Analytics.Rollups;

namespace SentryFlow.Analytics.Live;

/// <summary>The batches a watcher received during the current second; thread-safe (Redis delivers on its own threads).</summary>
public sealed class LiveSecond
{
    private readonly Lock _lock = new();
    private long _requests, _errors4xx, _errors5xx;
    private long[] _histogram = [];

    public void Add(LiveBatchStats stats)
    {
        lock (_lock)
        {
            _requests += stats.Requests;
            _errors4xx += stats.Errors4xx;
            _errors5xx += stats.Errors5xx;
            for (var i = 0; i < stats.Buckets.Length; i++)
            {
                var bucket = Math.Clamp(stats.Buckets[i], 0, LatencyHistogram.MaxBucket);
                if (_histogram.Length <= bucket)
                {
                    Array.Resize(ref _histogram, bucket + 1);
                }

                _histogram[bucket] += stats.Counts[i];
            }
        }
    }

    /// <summary>The frame for the second that began at <paramref name="time"/>, and a fresh start for the next.</summary>
    public LiveFrame Close(DateTimeOffset time)
    {
        lock (_lock)
        {
            var frame = new LiveFrame(time, _requests, _errors4xx + _errors5xx, _errors4xx, _errors5xx, LatencyHistogram.Percentile(_histogram, 0.95));
            _requests = _errors4xx = _errors5xx = 0;
            _histogram = [];
            return frame;
        }
    }
}
