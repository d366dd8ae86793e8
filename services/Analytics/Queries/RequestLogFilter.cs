namespace SentryFlow.Analytics.Queries;

/// <summary>What the request log is narrowed to; <see cref="StatusClass"/> (4 for 4xx) and <see cref="Status"/> exclude each other.</summary>
public sealed record RequestLogFilter(
    DateTimeOffset From,
    DateTimeOffset To,
    int? Status,
    int? StatusClass,
    string? Method,
    string? Route,
    string? Consumer,
    RequestLogCursor? Before,
    int Limit);
