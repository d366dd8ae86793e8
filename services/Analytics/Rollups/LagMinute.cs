namespace SentryFlow.Analytics.Rollups;

/// <summary>
/// Processing lag of the records stored in one minute of one project: from ingest's acceptance
/// (<c>RequestRecordsAccepted.AcceptedAt</c>) to storage, in milliseconds, as a <see cref="LatencyHistogram"/>.
/// Alerting reads this table with SQL (<c>analytics."LagMinutes"</c>).
/// </summary>
public sealed class LagMinute
{
    public Guid ProjectId { get; set; }

    /// <summary>The minute the records were stored in (UTC).</summary>
    public DateTimeOffset Minute { get; set; }

    /// <summary>How many records were stored.</summary>
    public long Count { get; set; }

    /// <summary>Counts per <see cref="LatencyHistogram"/> bucket of the lag in milliseconds.</summary>
    public long[] Histogram { get; set; } = [];
}
