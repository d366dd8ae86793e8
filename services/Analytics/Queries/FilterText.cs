using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Analytics.Queries;

/// <summary>
/// Caps on the text filters of the request log, the tail and rule queries: no longer than the record fields they are
/// compared with can be (ingest refuses longer ones), so a filter never carries an unbounded string into a query.
/// </summary>
public static class FilterText
{
    public const int MaxMethod = 16;
    public const int MaxRoute = 512;
    public const int MaxConsumer = 256;

    /// <summary>Names each filter that is too long (<paramref name="prefix"/> before its name, e.g. <c>filters.</c>).</summary>
    public static void Check(ProblemErrors errors, string? method, string? route, string? consumer, string prefix = "")
    {
        Cap(errors, prefix + "method", method, MaxMethod);
        Cap(errors, prefix + "route", route, MaxRoute);
        Cap(errors, prefix + "consumer", consumer, MaxConsumer);
    }

    /// <summary>Names <paramref name="field"/> when <paramref name="value"/> is longer than <paramref name="max"/>.</summary>
    public static void Cap(ProblemErrors errors, string field, string? value, int max)
    {
        if (value is { Length: var length } && length > max)
        {
            errors.Add(CommonProblems.Invalid, field, $"At most {max} characters.");
        }
    }
}
