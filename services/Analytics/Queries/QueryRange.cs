using System.Globalization;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Analytics.Queries;

/// <summary>
/// Parses a query's <c>from</c> and <c>to</c> (ISO 8601; default the last hour) and widens them to whole minutes,
/// the roll-ups' resolution. Times are taken from <see cref="Earliest"/> to <see cref="Latest"/> only: beyond them
/// there is no data, and the arithmetic on them (widening, aligning, the default hour before 'to') would overflow.
/// </summary>
public static class QueryRange
{
    /// <summary>The longest range one query may cover.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(400);

    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Latest = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool TryParse(
        string? fromText, string? toText, DateTimeOffset now, ProblemErrors errors, out DateTimeOffset from, out DateTimeOffset to)
    {
        to = Ceiling(now);
        from = to.AddHours(-1);
        var ok = true;
        if (toText is not null)
        {
            if (TryParseTime(toText, "to", errors) is { } parsed)
            {
                to = Ceiling(parsed);
                from = to.AddHours(-1);
            }
            else
            {
                ok = false;
            }
        }

        if (fromText is not null)
        {
            if (TryParseTime(fromText, "from", errors) is { } parsed)
            {
                from = Floor(parsed);
            }
            else
            {
                ok = false;
            }
        }

        return ok && TryCheck(from, to, MaxRange, errors);
    }

    /// <summary>Whether a range of whole minutes is in order and at most <paramref name="maxRange"/> long; names 'from' if not.</summary>
    public static bool TryCheck(DateTimeOffset from, DateTimeOffset to, TimeSpan maxRange, ProblemErrors errors)
    {
        if (from >= to)
        {
            errors.Add(AnalyticsProblems.RangeInvalid, "from", "Must be before 'to'.");
            return false;
        }

        if (to - from > maxRange)
        {
            errors.Add(AnalyticsProblems.RangeInvalid, "from", $"The range may cover at most {maxRange.TotalDays} days.");
            return false;
        }

        return true;
    }

    /// <summary>Whether <paramref name="time"/> is within the years analytics answers for; names <paramref name="field"/> if not.</summary>
    public static bool IsInBounds(DateTimeOffset time, string field, ProblemErrors errors)
    {
        if (time >= Earliest && time < Latest)
        {
            return true;
        }

        errors.Add(AnalyticsProblems.RangeInvalid, field, $"A time from {Earliest:yyyy-MM-dd} to before {Latest:yyyy-MM-dd} (UTC).");
        return false;
    }

    public static DateTimeOffset Floor(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    public static DateTimeOffset Ceiling(DateTimeOffset time) =>
        time.UtcTicks % TimeSpan.TicksPerMinute == 0 ? new DateTimeOffset(time.UtcTicks, TimeSpan.Zero) : Floor(time).AddMinutes(1);

    private static DateTimeOffset? TryParseTime(string text, string field, ProblemErrors errors)
    {
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            errors.Add(AnalyticsProblems.RangeInvalid, field, "Not an ISO 8601 time.");
            return null;
        }

        return IsInBounds(value, field, errors) ? value : null;
    }
}
