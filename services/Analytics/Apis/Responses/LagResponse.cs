namespace SentryFlow.Analytics.Apis.Responses;

/// <summary>Processing lag (ingest's acceptance to storage, ms) of the records stored in [From, To).</summary>
public sealed record LagResponse(DateTimeOffset From, DateTimeOffset To, long Records, double? P50, double? P95, double? P99);
