using Microsoft.Extensions.Options;

namespace SentryFlow.Samples.Orders.Simulation;

/// <summary>What a request is going to be like: how long it takes and whether it fails.</summary>
public readonly record struct SimulatedOutcome(TimeSpan Delay, int? FailureStatus);

/// <summary>
/// Draws each request's delay and failure from its route's profile with one seeded generator, so a run with the same
/// seed and the same requests in the same order behaves the same (tests set the scales to 0 or pin the seed).
/// </summary>
public sealed class Simulator(IOptions<OrdersOptions> options, TimeProvider time)
{
    private readonly OrdersOptions _options = options.Value;
    private readonly Random _random = new(options.Value.Seed);
    private readonly Lock _lock = new();
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public SimulatedOutcome Next(RouteProfile route)
    {
        double normal, slow, fails, slowness;
        lock (_lock)
        {
            normal = StandardNormal();
            slow = _random.NextDouble();
            slowness = _random.NextDouble();
            fails = _random.NextDouble();
        }

        var ms = route.MedianMs * Math.Exp(route.Sigma * normal);
        if (slow < route.SlowShare)
        {
            ms += route.SlowMinMs + (route.SlowMaxMs - route.SlowMinMs) * slowness;
        }

        var failureShare = route.HasIncidents && InIncident(time.GetUtcNow())
            ? _options.IncidentFailureShare
            : route.FailureShare * _options.FailureScale;
        return new SimulatedOutcome(TimeSpan.FromMilliseconds(ms * _options.LatencyScale), fails < failureShare ? route.FailureStatus : null);
    }

    /// <summary>
    /// Whether an incident is on at <paramref name="now"/>: the last <see cref="OrdersOptions.IncidentLength"/> of
    /// every <see cref="OrdersOptions.IncidentEvery"/> since the start.
    /// </summary>
    public bool InIncident(DateTimeOffset now)
    {
        if (_options.IncidentEvery <= TimeSpan.Zero || _options.IncidentLength <= TimeSpan.Zero || _options.FailureScale == 0)
        {
            return false;
        }

        var intoCycle = TimeSpan.FromTicks((now - _startedAt).Ticks % _options.IncidentEvery.Ticks);
        return intoCycle >= _options.IncidentEvery - _options.IncidentLength;
    }

    // Box-Muller: one standard normal draw from two uniform ones.
    private double StandardNormal()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
