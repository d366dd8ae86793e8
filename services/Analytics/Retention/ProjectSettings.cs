namespace SentryFlow.Analytics.Retention;

/// <summary>A project's analytics settings; a project without a row has <see cref="RetentionOptions"/>' defaults.</summary>
public sealed class ProjectSettings
{
    public Guid ProjectId { get; set; }

    /// <summary>Days raw records are kept (and shown): older ones are hidden at once, dropped with their day's partition.</summary>
    public int RawRetentionDays { get; set; }

    /// <summary>Days roll-ups are kept.</summary>
    public int RollupRetentionDays { get; set; }

    /// <summary>Apdex's T: a request is satisfied within T, tolerating within 4T.</summary>
    public double ApdexThresholdMs { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
