namespace SentryFlow.Analytics.Apis.Responses;

/// <summary>A project's traffic over [From, To) (minute-aligned). Errors are 4xx and 5xx; latencies in milliseconds; Apdex with the project's threshold, from the latency histograms (see <c>LatencyHistogram.Apdex</c>).</summary>
public sealed record SummaryResponse(
    DateTimeOffset From,
    DateTimeOffset To,
    long Requests,
    double RequestsPerMinute,
    long Errors4xx,
    long Errors5xx,
    double ErrorRate,
    double? AverageMs,
    double? P50,
    double? P95,
    double? P99,
    double ApdexThresholdMs,
    double? Apdex,
    long BytesIn,
    long BytesOut,
    long UniqueConsumers,
    long UniqueRoutes);
