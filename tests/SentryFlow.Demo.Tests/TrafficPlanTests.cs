using SentryFlow.Samples.TrafficGenerator.Traffic;

namespace SentryFlow.Demo.Tests;

public sealed class TrafficPlanTests
{
    private static readonly TimeSpan Day = TimeSpan.FromMinutes(20);

    private static TrafficPlan Plan(int seed = 7) => new(ConsumerProfile.Defaults, new DailyCurve(Day), seed);

    [Fact]
    public void The_same_seed_plans_the_same_seconds_in_any_order_and_another_seed_differs()
    {
        var forward = Enumerable.Range(0, 30).Select(s => Plan().Second(s)).ToArray();
        var plan = Plan();
        var backward = Enumerable.Range(0, 30).Reverse().Select(s => plan.Second(s)).Reverse().ToArray();

        Assert.Equal(forward.SelectMany(s => s), backward.SelectMany(s => s));
        Assert.NotEqual(forward.SelectMany(s => s), Enumerable.Range(0, 30).SelectMany(s => Plan(seed: 8).Second(s)));
    }

    [Fact]
    public void Each_second_is_in_order_and_within_that_second()
    {
        var plan = Plan();
        for (var second = 0; second < 120; second++)
        {
            var requests = plan.Second(second);
            Assert.All(requests, r => Assert.InRange(r.At, TimeSpan.FromSeconds(second), TimeSpan.FromSeconds(second + 1)));
            Assert.Equal(requests.OrderBy(r => r.At), requests);
        }
    }

    [Fact]
    public void Traffic_follows_the_day_busy_in_the_afternoon_and_quiet_at_night()
    {
        var plan = Plan();
        var curve = plan.Curve;
        // The simulated 15:00 (peak) and 03:00 (night) of a 20-minute day starting at 10:00.
        var peak = SecondAtHour(curve, 15);
        var night = SecondAtHour(curve, 3);

        var peakCount = Enumerable.Range(0, 20).Sum(s => plan.Second(peak + s).Count(r => !r.InBurst));
        var nightCount = Enumerable.Range(0, 20).Sum(s => plan.Second(night + s).Count(r => !r.InBurst));

        // At the peak the consumers together send about 7.7 a second; at night about a twentieth of it.
        Assert.InRange(peakCount / 20.0, 5.5, 10.0);
        Assert.InRange(nightCount / 20.0, 0.0, 1.2);
    }

    [Fact]
    public void Day_starts_mid_morning_and_wraps_round()
    {
        var curve = new DailyCurve(Day);

        Assert.Equal(10.0, curve.HourAt(TimeSpan.Zero), 6);
        Assert.Equal(22.0, curve.HourAt(Day / 2), 6);
        Assert.Equal(10.0, curve.HourAt(Day), 6);
        Assert.Equal(1.0, curve.FactorAt(TimeSpan.FromTicks(Day.Ticks * 5 / 24)), 6); // 15:00
        Assert.All(Enumerable.Range(0, 240).Select(i => curve.FactorAt(Day * i / 240)), f => Assert.InRange(f, 0.05, 1.0));
    }

    [Fact]
    public void Bursting_consumers_send_their_whole_burst_within_a_second_on_schedule()
    {
        var plan = Plan();
        var acme = ConsumerProfile.Defaults.Single(c => c.Owner == "acme-mobile");

        // First after 20 s, then every 45 s.
        Assert.Equal(TimeSpan.FromSeconds(20), TrafficPlan.BurstStartsIn(acme, TimeSpan.FromSeconds(20)));
        Assert.Equal(TimeSpan.FromSeconds(65), TrafficPlan.BurstStartsIn(acme, TimeSpan.FromSeconds(65)));
        Assert.Null(TrafficPlan.BurstStartsIn(acme, TimeSpan.FromSeconds(19)));
        Assert.Null(TrafficPlan.BurstStartsIn(acme, TimeSpan.FromSeconds(21)));
        Assert.Null(TrafficPlan.BurstStartsIn(ConsumerProfile.Defaults.Single(c => c.Owner == "globex-web"), TimeSpan.FromSeconds(20)));

        var bursts = Enumerable.Range(0, 120).SelectMany(s => plan.Second(s)).Where(r => r.InBurst).GroupBy(r => r.Consumer).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(["acme-mobile", "initech-sync"], bursts.Keys.Order());
        // acme at 20, 65 and 110 s; initech at 40 and 110 s: each burst far above the policy's 15 a second.
        Assert.Equal(3 * acme.BurstSize, bursts["acme-mobile"].Count);
        Assert.Equal(2 * 60, bursts["initech-sync"].Count);
        Assert.All(bursts["acme-mobile"], r => Assert.Contains((int)r.At.TotalSeconds, new[] { 20, 65, 110 }));
        Assert.True(acme.BurstSize > Samples.TrafficGenerator.Bootstrap.DemoBootstrapper.PerSecondLimit * 2);
    }

    [Fact]
    public void Each_consumer_sends_its_mix_and_the_misbehaving_one_mostly_what_fails()
    {
        var plan = Plan();
        var requests = Enumerable.Range(0, 600).SelectMany(s => plan.Second(s)).Where(r => !r.InBurst).ToList();
        RequestKind[] failing = [RequestKind.GetMissingOrder, RequestKind.CreateInvalidOrder, RequestKind.SearchWithoutQuery, RequestKind.UnknownKey, RequestKind.NoKey];

        var umbrella = requests.Where(r => r.Consumer == "umbrella-integration").ToList();
        Assert.InRange(umbrella.Count(r => failing.Contains(r.Kind)) / (double)umbrella.Count, 0.6, 0.8); // weights: 70 of 100
        Assert.DoesNotContain(requests.Where(r => r.Consumer != "umbrella-integration"), r => failing.Contains(r.Kind));

        // hooli's dashboard only reads; globex searches about a quarter of the time.
        Assert.All(requests.Where(r => r.Consumer == "hooli-dashboard"), r => Assert.Contains(r.Kind, new[] { RequestKind.ListOrders, RequestKind.SearchOrders }));
        var globex = requests.Where(r => r.Consumer == "globex-web").ToList();
        Assert.InRange(globex.Count(r => r.Kind == RequestKind.SearchOrders) / (double)globex.Count, 0.18, 0.32);
        Assert.Equal(ConsumerProfile.Defaults.Select(c => c.Owner).Order(), requests.Select(r => r.Consumer).Distinct().Order());
    }

    [Fact]
    public void A_mix_without_weight_is_refused()
    {
        ConsumerProfile[] consumers = [new("nobody", 1, new Dictionary<RequestKind, double>(), [ConsumerProfile.Read])];

        Assert.Throws<ArgumentException>(() => new TrafficPlan(consumers, new DailyCurve(Day), 1));
    }

    private static int SecondAtHour(DailyCurve curve, double hour)
    {
        var hoursAfterStart = (hour - curve.StartHour + 24) % 24;
        return (int)(curve.DayLength.TotalSeconds * hoursAfterStart / 24);
    }
}
