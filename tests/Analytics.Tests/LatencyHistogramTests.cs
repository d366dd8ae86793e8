using SentryFlow.Analytics.Rollups;

namespace SentryFlow.Analytics.Tests;

public sealed class LatencyHistogramTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.95)]
    [InlineData(0.99)]
    [InlineData(1.0)]
    public void Percentiles_are_within_two_percent_of_the_exact_nearest_rank(double quantile)
    {
        var random = new Random(7);
        var durations = Enumerable.Range(0, 5000).Select(_ => Math.Exp(random.NextDouble() * 9) * 0.5).ToArray();
        long[] histogram = [];
        foreach (var duration in durations)
        {
            LatencyHistogram.Add(ref histogram, duration);
        }

        var sorted = durations.Order().ToArray();
        var exact = sorted[(int)Math.Ceiling(quantile * sorted.Length) - 1];
        var estimate = LatencyHistogram.Percentile(histogram, quantile);

        Assert.NotNull(estimate);
        Assert.InRange(estimate.Value, exact * 0.98, exact * 1.02);
    }

    [Fact]
    public void Merging_is_an_element_wise_sum()
    {
        long[] a = [], b = [], both = [];
        foreach (var duration in new[] { 1.0, 5.0, 250.0 })
        {
            LatencyHistogram.Add(ref a, duration);
            LatencyHistogram.Add(ref both, duration);
        }

        foreach (var duration in new[] { 3.0, 5.0, 9000.0 })
        {
            LatencyHistogram.Add(ref b, duration);
            LatencyHistogram.Add(ref both, duration);
        }

        var merged = Enumerable.Range(0, Math.Max(a.Length, b.Length)).Select(i => (i < a.Length ? a[i] : 0) + (i < b.Length ? b[i] : 0)).ToArray();
        Assert.Equal(both, merged);
        Assert.Null(LatencyHistogram.Percentile([], 0.5));
    }
}
