namespace SentryFlow.Analytics.Retention;

/// <summary>The retention job's schedule and the settings of projects that set none (section <c>Analytics:Retention</c>).</summary>
public sealed class RetentionOptions
{
    public const string Section = "Analytics:Retention";

    /// <summary>How often the job runs (it also runs once at start).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    public int DefaultRawRetentionDays { get; set; } = 30;

    public int DefaultRollupRetentionDays { get; set; } = 400;

    public double DefaultApdexThresholdMs { get; set; } = 500;

    /// <summary>How long redelivered bus messages are recognised (<c>"ProcessedMessages"</c>).</summary>
    public int ProcessedMessageDays { get; set; } = 7;
}
