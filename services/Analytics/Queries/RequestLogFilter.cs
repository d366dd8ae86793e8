namespace SentryFlow.Analytics.Queries;

/// <summary>
/// What the request log is narrowed to; <see cref="StatusClass"/> (4 for 4xx) and <see cref="Status"/> exclude each
/// other. <see cref="Search"/> matches records holding all its words, or the whole of it as a substring, in the path,
/// error message or user agent.
/// </summary>
public sealed record RequestLogFilter(
    DateTimeOffset From,
    DateTimeOffset To,
    int? Status,
    int? StatusClass,
    string? Method,
    string? Route,
    string? Consumer,
    string? ClientIp,
    string? Search,
    RequestLogCursor? Before,
    int Limit);
