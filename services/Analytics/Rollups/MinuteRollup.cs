namespace SentryFlow.Analytics.Rollups;

/// <summary>
/// One minute of one project's traffic for one route, method, consumer and status class. Rows are only ever added
/// to (in the transaction that stores the records), so any range and any grouping is a sum of rows. Closed hours and
/// days are folded from them into coarser tables (see <see cref="RollupFolder"/>).
/// </summary>
public sealed class MinuteRollup
{
    public Guid ProjectId { get; set; }

    /// <summary>The minute's start (UTC).</summary>
    public DateTimeOffset Minute { get; set; }

    /// <summary>The route template, or empty when the record had none.</summary>
    public string Route { get; set; } = "";

    public string Method { get; set; } = "";

    /// <summary>The consumer, or empty when the record had none.</summary>
    public string Consumer { get; set; } = "";

    /// <summary>The status divided by 100 (2 for 2xx, ...).</summary>
    public short StatusClass { get; set; }

    public long Count { get; set; }

    public long Errors4xx { get; set; }

    public long Errors5xx { get; set; }

    public long BytesIn { get; set; }

    public long BytesOut { get; set; }

    public double DurationSumMs { get; set; }

    /// <summary>The latency histogram's non-empty buckets (<see cref="PackedHistogram"/>).</summary>
    public long[] Histogram { get; set; } = [];
}
