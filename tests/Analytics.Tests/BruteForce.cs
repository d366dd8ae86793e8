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

    public static void WithinTwoPercent(double exact, double? estimate, string what)
    {
        Assert.True(estimate is not null, $"{what}: no value");
        Assert.True(Math.Abs(estimate.Value - exact) <= exact * 0.02, $"{what}: {estimate} is not within 2 % of {exact}");
    }
}
