namespace SentryFlow.Bench.Faults;

/// <summary>What a service's <c>/health</c> said at one poll (<see cref="NoAnswer"/>: nothing within the poll's timeout or no connection).</summary>
public enum HealthState
{
    Healthy,
    Degraded,
    Unhealthy,
    NoAnswer,
}

/// <summary>One poll of one service's <c>/health</c>.</summary>
public sealed record HealthSample(string Service, DateTimeOffset At, HealthState State);

/// <summary>
/// How one service's <c>/health</c> went through a fault: the seconds from the injection to its first answer that was not
/// Healthy (null: it never said so), and from the repair to its last return to Healthy (null: it was never unhealthy
/// after the repair... or never came back, see <see cref="Recovered"/>).
/// </summary>
public sealed record ServiceHealth(string Service, double? OutageAfterSeconds, double? HealthyAfterRepairSeconds, bool Recovered, bool Hung);

public static class HealthTimeline
{
    /// <summary>
    /// Reads <paramref name="samples"/> (any order, any services) for the fault injected at <paramref name="injected"/>,
    /// repaired at <paramref name="repaired"/>, and watched until <paramref name="end"/>. A service "hung" when its
    /// <c>/health</c> gave no answer while its process was running: the suite marks the polls of a process it killed
    /// itself as expected, by passing <paramref name="killed"/>.
    /// </summary>
    public static IReadOnlyList<ServiceHealth> Read(
        IEnumerable<HealthSample> samples, DateTimeOffset injected, DateTimeOffset repaired, DateTimeOffset end, IReadOnlySet<string> killed)
    {
        return [.. samples
            .Where(s => s.At >= injected && s.At <= end)
            .GroupBy(s => s.Service)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var ordered = g.OrderBy(s => s.At).ToList();
                var firstOutage = ordered.FirstOrDefault(s => s.State != HealthState.Healthy);
                var lastOutage = ordered.LastOrDefault(s => s.State != HealthState.Healthy);
                var recovered = ordered.Count > 0 && ordered[^1].State == HealthState.Healthy;
                double? healthyAfter = lastOutage is null
                    ? null
                    : ordered.FirstOrDefault(s => s.At > lastOutage.At && s.State == HealthState.Healthy) is { } back
                        ? Math.Max(0, (back.At - repaired).TotalSeconds)
                        : null;
                var hung = !killed.Contains(g.Key) && ordered.Any(s => s.State == HealthState.NoAnswer);
                return new ServiceHealth(g.Key, firstOutage is null ? null : (firstOutage.At - injected).TotalSeconds, healthyAfter, recovered, hung);
            })];
    }
}
