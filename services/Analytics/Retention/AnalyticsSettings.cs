namespace SentryFlow.Analytics.Retention;

/// <summary>A project's analytics settings in effect (its own, or the defaults).</summary>
public sealed record AnalyticsSettings(int RawRetentionDays, int RollupRetentionDays, double ApdexThresholdMs);
