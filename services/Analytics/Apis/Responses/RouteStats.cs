namespace SentryFlow.Analytics.Apis.Responses;

/// <summary>One route's traffic over the range; <see cref="Route"/> is null for records that named no route.</summary>
public sealed record RouteStats(string? Route, long Requests, long Errors, double ErrorRate, double? P50, double? P95, double? P99, long BytesIn, long BytesOut);
