using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Analytics.Tests;

/// <summary>The answers computed the slow way, straight from the records.</summary>
public static class BruteForce
{
    public static long Errors(IEnumerable<RequestRecord> records) => records.LongCount(r => r.Status >= 400);

    public static double ErrorRate(IReadOnlyCollection<RequestRecord> records) =>
        records.Count == 0 ? 0 : (double)Errors(records) / records.Count;

    /// <summary>The nearest-rank percentile: the ⌈q·n⌉-th smallest duration.</summary>
    public static double Percentile(IEnumerable<RequestRecord> records, double quantile)
    {
        var sorted = records.Select(r => r.DurationMs).Order().ToArray();
        return sorted[(int)Math.Ceiling(quantile * sorted.Length) - 1];
    }

    /// <summary>
    /// Whether a search for <paramref name="q"/> should find the record: every word of it (any case) is a word of the
    /// path, error message or user agent, or the whole of it is a substring (any case) of the path or error message.
    /// Words here are runs of letters and digits, which is what PostgreSQL's parser makes of the test data's text.
    /// </summary>
    public static bool Matches(RequestRecord record, string q)
    {
        var words = Words($"{record.Path} {record.ErrorMessage} {record.UserAgent}").ToHashSet();
        var wanted = Words(q).ToList();
        return (wanted.Count > 0 && wanted.All(words.Contains))
            || $"{record.Path} {record.ErrorMessage}".Contains(q, StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> Words(string text) =>
        System.Text.RegularExpressions.Regex.Split(text.ToLowerInvariant(), "[^a-z0-9]+").Where(w => w.Length > 0);

    public static void WithinTwoPercent(double exact, double? estimate, string what)
    {
        Assert.True(estimate is not null, $"{what}: no value");
        Assert.True(Math.Abs(estimate.Value - exact) <= exact * 0.02, $"{what}: {estimate} is not within 2 % of {exact}");
    }
}
