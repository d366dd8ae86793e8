namespace SentryFlow.Analytics.Rollups;

/// <summary>
/// Which roll-up table answers which part of a minute-aligned range: whole folded days from <c>"DayRollups"</c>, whole
/// folded hours from <c>"HourRollups"</c>, the rest (ragged edges, hours not folded yet or changed since) from
/// <c>"MinuteRollups"</c>. Folded means clean: a fold is only used while no record has arrived for its period since
/// (see <see cref="RollupFolder"/>), so every plan sums exactly the records the minutes hold.
/// </summary>
public sealed class RollupPlan
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private RollupPlan(IReadOnlyList<RollupSegment> segments) => Segments = segments;

    /// <summary>The segments in time order, adjacent ones of the same level joined.</summary>
    public IReadOnlyList<RollupSegment> Segments { get; }

    /// <param name="coarsest">The coarsest table the query may read (a 5-minute series cannot use hours).</param>
    /// <param name="cleanHours">Starts of the project's folded, unchanged hours in the range.</param>
    /// <param name="cleanDays">Starts of the project's folded, unchanged days in the range.</param>
    public static RollupPlan Make(
        DateTimeOffset from, DateTimeOffset to, RollupLevel coarsest, IReadOnlySet<DateTimeOffset> cleanHours, IReadOnlySet<DateTimeOffset> cleanDays)
    {
        var segments = new List<RollupSegment>();
        var time = from;
        while (time < to)
        {
            RollupSegment next;
            if (coarsest >= RollupLevel.Day && IsWhole(time, to, Day) && cleanDays.Contains(time))
            {
                next = new RollupSegment(RollupLevel.Day, time, time + Day);
            }
            else if (coarsest >= RollupLevel.Hour && IsWhole(time, to, Hour) && cleanHours.Contains(time))
            {
                next = new RollupSegment(RollupLevel.Hour, time, time + Hour);
            }
            else
            {
                var hourEnd = Floor(time, Hour) + Hour;
                next = new RollupSegment(RollupLevel.Minute, time, hourEnd < to ? hourEnd : to);
            }

            if (segments.Count > 0 && segments[^1].Level == next.Level)
            {
                segments[^1] = segments[^1] with { To = next.To };
            }
            else
            {
                segments.Add(next);
            }

            time = next.To;
        }

        return new RollupPlan(segments);
    }

    /// <summary>The start of the hour or day <paramref name="time"/> is in (UTC).</summary>
    public static DateTimeOffset Floor(DateTimeOffset time, TimeSpan period) =>
        new(time.UtcTicks - (time.UtcTicks % period.Ticks), TimeSpan.Zero);

    private static bool IsWhole(DateTimeOffset time, DateTimeOffset to, TimeSpan period) =>
        time.UtcTicks % period.Ticks == 0 && time + period <= to;
}
