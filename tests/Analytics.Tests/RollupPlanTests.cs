using SentryFlow.Analytics.Queries;
using SentryFlow.Analytics.Rollups;

namespace SentryFlow.Analytics.Tests;

/// <summary>Which roll-up table answers which part of a range, and the packed histograms the tables hold.</summary>
public sealed class RollupPlanTests
{
    private static readonly DateTimeOffset Day = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);

    private static readonly HashSet<DateTimeOffset> AllHours = [.. Enumerable.Range(-48, 96).Select(h => Day.AddHours(h))];

    [Fact]
    public void Whole_clean_days_come_from_days_whole_clean_hours_from_hours_and_the_ragged_edges_from_minutes()
    {
        var plan = RollupPlan.Make(Day.AddHours(-2).AddMinutes(17), Day.AddDays(1).AddHours(3).AddMinutes(43), RollupLevel.Day, AllHours, new HashSet<DateTimeOffset> { Day });

        Assert.Equal(
            [
                new RollupSegment(RollupLevel.Minute, Day.AddHours(-2).AddMinutes(17), Day.AddHours(-1)),
                new RollupSegment(RollupLevel.Hour, Day.AddHours(-1), Day),
                new RollupSegment(RollupLevel.Day, Day, Day.AddDays(1)),
                new RollupSegment(RollupLevel.Hour, Day.AddDays(1), Day.AddDays(1).AddHours(3)),
                new RollupSegment(RollupLevel.Minute, Day.AddDays(1).AddHours(3), Day.AddDays(1).AddHours(3).AddMinutes(43)),
            ],
            plan.Segments);
    }

    [Fact]
    public void Dirty_or_unfolded_periods_come_from_the_finer_table()
    {
        var hours = AllHours.Where(h => h != Day.AddHours(5)).ToHashSet();

        // The day is not clean (one of its hours changed since): its clean hours from hours, the changed one from minutes.
        var plan = RollupPlan.Make(Day, Day.AddDays(1), RollupLevel.Day, hours, new HashSet<DateTimeOffset>());

        Assert.Equal(
            [
                new RollupSegment(RollupLevel.Hour, Day, Day.AddHours(5)),
                new RollupSegment(RollupLevel.Minute, Day.AddHours(5), Day.AddHours(6)),
                new RollupSegment(RollupLevel.Hour, Day.AddHours(6), Day.AddDays(1)),
            ],
            plan.Segments);
    }

    [Fact]
    public void The_coarsest_level_a_query_allows_is_respected()
    {
        Assert.Equal(
            [new RollupSegment(RollupLevel.Hour, Day, Day.AddDays(1))],
            RollupPlan.Make(Day, Day.AddDays(1), RollupLevel.Hour, AllHours, new HashSet<DateTimeOffset> { Day }).Segments);
        Assert.Equal(
            [new RollupSegment(RollupLevel.Minute, Day, Day.AddDays(1))],
            RollupPlan.Make(Day, Day.AddDays(1), RollupLevel.Minute, AllHours, new HashSet<DateTimeOffset> { Day }).Segments);
    }

    [Fact]
    public void Packed_histograms_hold_only_non_empty_buckets_and_merge_to_the_dense_sum()
    {
        var random = new Random(3);
        long[] a = [], b = [], both = [];
        foreach (var duration in Enumerable.Range(0, 500).Select(_ => Math.Exp(random.NextDouble() * 8)))
        {
            if (random.Next(2) == 0)
            {
                LatencyHistogram.Add(ref a, duration);
            }
            else
            {
                LatencyHistogram.Add(ref b, duration);
            }

            LatencyHistogram.Add(ref both, duration);
        }

        var packedA = PackedHistogram.Pack(a);
        Assert.Equal(a.Count(c => c != 0), packedA.Length);
        var merged = new RollupAggregate();
        merged.AddPacked(packedA);
        merged.AddPacked(PackedHistogram.Pack(b));
        Assert.Equal(both, merged.Histogram);
    }

    [Fact]
    public void Counting_durations_into_a_packed_histogram_gives_the_packed_dense_one()
    {
        var random = new Random(4);
        long[] dense = [];
        var packed = new List<long>();
        foreach (var duration in Enumerable.Range(0, 2000).Select(_ => Math.Exp(random.NextDouble() * 9) / 10))
        {
            LatencyHistogram.Add(ref dense, duration);
            PackedHistogram.Increment(packed, LatencyHistogram.BucketOf(duration));
        }

        Assert.Equal(PackedHistogram.Pack(dense), packed);
    }
}
