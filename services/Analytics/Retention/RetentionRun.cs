namespace SentryFlow.Analytics.Retention;

/// <summary>One run of the retention job: what it dropped and deleted, so that retention is seen to work.</summary>
public sealed class RetentionRun
{
    public long Id { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset FinishedAt { get; set; }

    /// <summary>Raw-record partitions for days before this one were dropped (the longest raw retention of any project).</summary>
    public DateOnly RawHorizon { get; set; }

    /// <summary>The names of the partitions dropped.</summary>
    public string[] DroppedPartitions { get; set; } = [];

    /// <summary>Roll-up rows (minute, lag and signal rows) deleted as past their project's roll-up retention.</summary>
    public long DeletedRollupRows { get; set; }

    /// <summary>Why the run failed, or null.</summary>
    public string? Error { get; set; }
}
