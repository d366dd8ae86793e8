using SentryFlow.Bench.Faults;

namespace SentryFlow.Bench.Tests;

public class HealthTimelineTests
{
    private static readonly DateTimeOffset Injected = new(2026, 12, 3, 22, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Repaired = Injected.AddSeconds(15);
    private static readonly DateTimeOffset End = Injected.AddSeconds(60);

    private static HealthSample At(string service, double seconds, HealthState state) => new(service, Injected.AddSeconds(seconds), state);

    [Fact]
    public void A_service_reports_the_outage_after_the_injection_and_healthy_after_the_repair()
    {
        HealthSample[] samples =
        [
            At("ingest", -1, HealthState.Unhealthy), // before the fault: not this fault's
            At("ingest", 0.5, HealthState.Healthy),
            At("ingest", 1.5, HealthState.Unhealthy),
            At("ingest", 10, HealthState.Degraded),
            At("ingest", 17, HealthState.Unhealthy),
            At("ingest", 18.5, HealthState.Healthy),
            At("ingest", 30, HealthState.Healthy),
            At("keys", 1, HealthState.Healthy),
            At("keys", 30, HealthState.Healthy),
        ];

        var health = HealthTimeline.Read(samples, Injected, Repaired, End, new HashSet<string>());

        Assert.Equal(
            [new ServiceHealth("ingest", 1.5, 3.5, Recovered: true, Hung: false), new ServiceHealth("keys", null, null, Recovered: true, Hung: false)],
            health);
    }

    [Fact]
    public void No_answer_from_a_running_service_is_a_hang_but_not_from_one_the_suite_killed()
    {
        HealthSample[] samples =
        [
            At("analytics", 1, HealthState.NoAnswer),
            At("analytics", 20, HealthState.Healthy),
            At("ingest", 1, HealthState.NoAnswer),
            At("ingest", 20, HealthState.Healthy),
        ];

        var health = HealthTimeline.Read(samples, Injected, Repaired, End, new HashSet<string> { "analytics" });

        Assert.False(health.Single(h => h.Service == "analytics").Hung);
        Assert.True(health.Single(h => h.Service == "ingest").Hung);
    }

    [Fact]
    public void A_service_still_unhealthy_at_the_end_has_not_recovered()
    {
        var health = HealthTimeline.Read([At("analytics", 2, HealthState.Healthy), At("analytics", 40, HealthState.Degraded)],
            Injected, Repaired, End, new HashSet<string>());

        Assert.Equal(new ServiceHealth("analytics", 40, null, Recovered: false, Hung: false), health.Single());
    }
}
