namespace SentryFlow.Analytics.Apis.Responses;

/// <summary>Every interval of [From, To), empty ones included, oldest first.</summary>
public sealed record TimeSeriesResponse(DateTimeOffset From, DateTimeOffset To, string Interval, IReadOnlyList<string> Metrics, IReadOnlyList<TimeSeriesPoint> Points);
