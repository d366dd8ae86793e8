using System.Diagnostics.Metrics;

namespace SentryFlow.Samples.TrafficGenerator.Traffic;

/// <summary>
/// What the consumers saw: answers by status (and unreachable), and their durations, since the last summary. Also
/// counted as the metric <c>sentryflow_demo_requests</c> (consumer, status), on the dashboard's metrics page.
/// </summary>
public sealed class TrafficStats
{
    public const string MeterName = "SentryFlow.Demo";

    /// <summary>The status recorded for a request that got no answer (connection refused, timed out).</summary>
    public const int Unreachable = 0;

    private const int MaxDurations = 50_000;

    private readonly Counter<long> _requests;
    private readonly Lock _lock = new();
    private Dictionary<int, long> _byStatus = [];
    private List<double> _durations = [];

    public TrafficStats(IMeterFactory meters)
    {
        _requests = meters.Create(MeterName).CreateCounter<long>("sentryflow.demo.requests", description: "Requests the demo's consumers sent, by consumer and answer status (0: no answer).");
    }

    public void Record(string consumer, int status, TimeSpan duration)
    {
        _requests.Add(1, new KeyValuePair<string, object?>("consumer", consumer), new KeyValuePair<string, object?>("status", status));
        lock (_lock)
        {
            _byStatus[status] = _byStatus.GetValueOrDefault(status) + 1;
            if (status != Unreachable && _durations.Count < MaxDurations)
            {
                _durations.Add(duration.TotalMilliseconds);
            }
        }
    }

    /// <summary>The counts and percentiles since the last call, and starts counting anew.</summary>
    public TrafficSummary TakeSummary()
    {
        Dictionary<int, long> byStatus;
        List<double> durations;
        lock (_lock)
        {
            (byStatus, _byStatus) = (_byStatus, []);
            (durations, _durations) = (_durations, []);
        }

        durations.Sort();
        return new TrafficSummary(byStatus, Percentile(durations, 0.50), Percentile(durations, 0.95), Percentile(durations, 0.99));
    }

    private static double Percentile(List<double> sorted, double quantile) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
}

public sealed record TrafficSummary(IReadOnlyDictionary<int, long> ByStatus, double P50Ms, double P95Ms, double P99Ms)
{
    public long Total => ByStatus.Values.Sum();

    public long Count(Func<int, bool> statuses) => ByStatus.Where(s => statuses(s.Key)).Sum(s => s.Value);

    public long Successes => Count(s => s is >= 200 and < 300);

    public long RateLimited => Count(s => s == 429);

    public long ClientErrors => Count(s => s is >= 400 and < 500 and not 429);

    public long ServerErrors => Count(s => s >= 500);

    public long Unreachable => Count(s => s == TrafficStats.Unreachable);
}
