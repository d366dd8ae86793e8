namespace SentryFlow.Analytics.Apis.Responses;

/// <summary>One interval of a time series: its start and the requested metrics (null where nothing was measured).</summary>
public sealed record TimeSeriesPoint(DateTimeOffset Time, IReadOnlyDictionary<string, double?> Values);
