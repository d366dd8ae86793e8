extern alias orders;

using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using orders::SentryFlow.Samples.Orders;
using orders::SentryFlow.Samples.Orders.Simulation;

namespace SentryFlow.Demo.Tests;

public sealed class SimulatorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

    private Simulator Create(OrdersOptions? options = null) => new(Options.Create(options ?? new OrdersOptions()), _time);

    [Fact]
    public void The_same_seed_draws_the_same_delays_and_failures()
    {
        var first = Create();
        var a = Enumerable.Range(0, 200).Select(_ => first.Next(RouteProfile.Search)).ToArray();
        var second = Create();
        var b = Enumerable.Range(0, 200).Select(_ => second.Next(RouteProfile.Search)).ToArray();
        var other = Create(new OrdersOptions { Seed = 21 });
        var c = Enumerable.Range(0, 200).Select(_ => other.Next(RouteProfile.Search)).ToArray();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Search_is_the_slow_route_with_a_p95_over_a_second_and_reads_are_fast()
    {
        var simulator = Create();

        var search = Percentiles(simulator, RouteProfile.Search);
        var get = Percentiles(simulator, RouteProfile.Get);

        Assert.InRange(search.P50, 150, 260);
        Assert.True(search.P95 > 1000, $"search p95 {search.P95} ms");
        Assert.InRange(get.P50, 8, 16);
        Assert.True(get.P95 < 100, $"get p95 {get.P95} ms");
    }

    [Fact]
    public void Routes_fail_at_their_share_and_never_with_a_failure_scale_of_zero()
    {
        var simulator = Create(new OrdersOptions { IncidentEvery = TimeSpan.Zero });
        var creates = Enumerable.Range(0, 20_000).Select(_ => simulator.Next(RouteProfile.Create)).ToArray();

        Assert.InRange(creates.Count(o => o.FailureStatus == 503) / 20_000.0, 0.025, 0.035);
        Assert.All(creates, o => Assert.True(o.FailureStatus is null or 503));

        var calm = Create(new OrdersOptions { FailureScale = 0, LatencyScale = 0 });
        Assert.All(Enumerable.Range(0, 2_000).Select(_ => calm.Next(RouteProfile.Create)), o => Assert.Equal(new SimulatedOutcome(TimeSpan.Zero, null), o));
    }

    [Fact]
    public void An_incident_makes_creates_fail_for_its_length_once_every_period()
    {
        var simulator = Create(new OrdersOptions { IncidentEvery = TimeSpan.FromMinutes(10), IncidentLength = TimeSpan.FromSeconds(90), IncidentFailureShare = 0.35 });
        var start = _time.GetUtcNow();

        Assert.False(simulator.InIncident(start + TimeSpan.FromMinutes(8)));
        Assert.True(simulator.InIncident(start + TimeSpan.FromMinutes(8.5)));
        Assert.True(simulator.InIncident(start + TimeSpan.FromMinutes(9.9)));
        Assert.False(simulator.InIncident(start + TimeSpan.FromMinutes(10.1)));
        Assert.True(simulator.InIncident(start + TimeSpan.FromMinutes(18.6)));

        _time.Advance(TimeSpan.FromMinutes(9));
        var during = Enumerable.Range(0, 5_000).Count(_ => simulator.Next(RouteProfile.Create).FailureStatus == 503) / 5_000.0;
        var searchDuring = Enumerable.Range(0, 5_000).Count(_ => simulator.Next(RouteProfile.Search).FailureStatus is not null) / 5_000.0;
        Assert.InRange(during, 0.3, 0.4);
        Assert.InRange(searchDuring, 0.01, 0.03); // only the route that calls the payment provider
    }

    private static (double P50, double P95) Percentiles(Simulator simulator, RouteProfile route)
    {
        var delays = Enumerable.Range(0, 20_000).Select(_ => simulator.Next(route).Delay.TotalMilliseconds).Order().ToArray();
        return (delays[delays.Length / 2], delays[(int)(delays.Length * 0.95)]);
    }
}
