namespace SentryFlow.Samples.TrafficGenerator.Traffic;

/// <summary>
/// Hands out the plan's requests as they fall due on <see cref="TimeProvider"/>'s clock, from the moment the schedule
/// was made. A sender that fell more than <see cref="MaxLag"/> behind (the machine paused, the process was stopped)
/// skips the seconds it missed rather than sending them all at once.
/// </summary>
public sealed class TrafficSchedule(TrafficPlan plan, TimeProvider time)
{
    public static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(5);

    private readonly DateTimeOffset _start = time.GetUtcNow();
    private long _second = -1;
    private IReadOnlyList<PlannedRequest> _current = [];
    private int _next;

    public DateTimeOffset Start => _start;

    /// <summary>Whole seconds of the plan skipped because the sender was too far behind.</summary>
    public long SkippedSeconds { get; private set; }

    /// <summary>How far into the plan the clock is.</summary>
    public TimeSpan Elapsed => time.GetUtcNow() - _start;

    /// <summary>The requests due by now that were not handed out before, in order.</summary>
    public IReadOnlyList<PlannedRequest> TakeDue()
    {
        var elapsed = Elapsed;
        var nowSecond = (long)Math.Floor(elapsed.TotalSeconds);
        if (_second >= 0 && nowSecond - _second > MaxLag.TotalSeconds)
        {
            SkippedSeconds += nowSecond - _second - 1;
            _second = nowSecond - 1;
            _next = _current.Count;
        }

        var due = new List<PlannedRequest>();
        while (true)
        {
            while (_next < _current.Count && _current[_next].At <= elapsed)
            {
                due.Add(_current[_next++]);
            }

            if (_next < _current.Count || _second >= nowSecond)
            {
                return due;
            }

            _second++;
            _current = plan.Second(_second);
            _next = 0;
        }
    }

    /// <summary>How long until the next request falls due (at most to the next second's start).</summary>
    public TimeSpan UntilNext()
    {
        var elapsed = Elapsed;
        var next = _next < _current.Count ? _current[_next].At : TimeSpan.FromSeconds(_second + 1);
        return next > elapsed ? next - elapsed : TimeSpan.Zero;
    }
}
