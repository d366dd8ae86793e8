namespace SentryFlow.Alerting.Evaluation;

/// <summary>
/// When rules are evaluated: at multiples of the evaluation interval since the Unix epoch (00:00:00, 00:00:30, ... for
/// 30 s), as Prometheus evaluates a rule group, not at the time each rule was created plus multiples. Every rule is
/// then evaluated at the same instants, their histories line up, and changing the interval keeps them aligned.
/// </summary>
public static class EvaluationSchedule
{
    /// <summary>The latest slot at or before <paramref name="now"/>.</summary>
    public static DateTimeOffset SlotAt(DateTimeOffset now, TimeSpan interval)
    {
        var sinceEpoch = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return new DateTimeOffset(now.UtcTicks - sinceEpoch % interval.Ticks, TimeSpan.Zero);
    }

    /// <summary>The first slot at or after <paramref name="now"/>: when a new or changed rule is first evaluated.</summary>
    public static DateTimeOffset FirstSlotFrom(DateTimeOffset now, TimeSpan interval)
    {
        var slot = SlotAt(now, interval);
        return slot == now ? slot : slot + interval;
    }
}
