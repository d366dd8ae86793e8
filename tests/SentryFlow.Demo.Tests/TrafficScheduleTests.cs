using Microsoft.Extensions.Time.Testing;
using SentryFlow.Samples.TrafficGenerator.Bootstrap;
using SentryFlow.Samples.TrafficGenerator.Traffic;

namespace SentryFlow.Demo.Tests;

public sealed class TrafficScheduleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

    private readonly TrafficPlan _plan = new(ConsumerProfile.Defaults, new DailyCurve(TimeSpan.FromMinutes(20)), seed: 3);

    [Fact]
    public void Requests_are_handed_out_once_as_they_fall_due()
    {
        var schedule = new TrafficSchedule(_plan, _time);
        var handed = new List<PlannedRequest>();

        for (var step = 0; step < 50; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            var due = schedule.TakeDue();
            Assert.All(due, r => Assert.True(r.At <= schedule.Elapsed));
            handed.AddRange(due);
        }

        // Five seconds: exactly the plan's first five seconds, in order, nothing twice.
        Assert.Equal(Enumerable.Range(0, 5).SelectMany(s => _plan.Second(s)), handed);
        Assert.Empty(schedule.TakeDue());
    }

    [Fact]
    public void Until_next_is_the_wait_for_the_next_request_and_never_past_the_next_second()
    {
        var schedule = new TrafficSchedule(_plan, _time);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        schedule.TakeDue();
        var next = _plan.Second(0).Concat(_plan.Second(1)).FirstOrDefault(r => r.At > schedule.Elapsed);

        var wait = schedule.UntilNext();

        Assert.InRange(wait, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        if (next.At < TimeSpan.FromSeconds(1))
        {
            Assert.Equal(next.At - schedule.Elapsed, wait);
        }
    }

    [Fact]
    public void A_sender_far_behind_skips_the_seconds_it_missed_instead_of_sending_them_at_once()
    {
        var schedule = new TrafficSchedule(_plan, _time);
        _time.Advance(TimeSpan.FromSeconds(2.5));
        schedule.TakeDue();

        _time.Advance(TimeSpan.FromSeconds(60)); // the process was paused for a minute
        var due = schedule.TakeDue();

        Assert.Equal(59, schedule.SkippedSeconds);
        Assert.All(due, r => Assert.Equal(62, (int)r.At.TotalSeconds));
        Assert.Equal(_plan.Second(62).Where(r => r.At <= TimeSpan.FromSeconds(62.5)), due);
    }

    [Fact]
    public void Backoff_doubles_from_a_second_to_half_a_minute()
    {
        Assert.Equal([1, 2, 4, 8, 16, 30, 30], Enumerable.Range(1, 7).Select(a => Backoff.DelayAfter(a).TotalSeconds));
        Assert.Equal(Backoff.MaxDelay, Backoff.DelayAfter(1000));
    }
}
