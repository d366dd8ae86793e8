using System.Globalization;

namespace SentryFlow.Analytics.Apis;

/// <summary>
/// Parses a query's <c>from</c> and <c>to</c> (ISO 8601; default the last hour) and widens them to whole minutes,
/// the roll-ups' resolution.
/// </summary>
public static class QueryRange
{
    /// <summary>The longest range one query may cover.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(400);

    public static bool TryParse(
        string? fromText, string? toText, DateTimeOffset now, Dictionary<string, string[]> errors, out DateTimeOffset from, out DateTimeOffset to)
    {
        to = Ceiling(now);
        from = to.AddHours(-1);
        var ok = true;
        if (toText is not null)
        {
            if (Parse(toText) is { } parsed)
            {
                to = Ceiling(parsed);
                from = to.AddHours(-1);
            }
            else
            {
                errors["to"] = ["Not an ISO 8601 time."];
                ok = false;
            }
        }

        if (fromText is not null)
        {
            if (Parse(fromText) is { } parsed)
            {
                from = Floor(parsed);
            }
            else
            {
                errors["from"] = ["Not an ISO 8601 time."];
                ok = false;
            }
        }

        if (ok && from >= to)
        {
            errors["from"] = ["Must be before 'to'."];
            ok = false;
        }

        if (ok && to - from > MaxRange)
        {
            errors["from"] = [$"The range may cover at most {MaxRange.TotalDays} days."];
            ok = false;
        }

        return ok;
    }

    public static DateTimeOffset Floor(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    public static DateTimeOffset Ceiling(DateTimeOffset time) =>
        time.UtcTicks % TimeSpan.TicksPerMinute == 0 ? new DateTimeOffset(time.UtcTicks, TimeSpan.Zero) : Floor(time).AddMinutes(1);

    private static DateTimeOffset? Parse(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;
}
