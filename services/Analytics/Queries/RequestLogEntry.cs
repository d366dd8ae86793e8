namespace SentryFlow.Analytics.Queries;

/// <summary>One record of the request log (headers and bodies are not part of the list).</summary>
public sealed record RequestLogEntry(
    Guid Id,
    string? ClientId,
    DateTimeOffset Timestamp,
    string Method,
    string Host,
    string Path,
    string? Route,
    int Status,
    double DurationMs,
    long? RequestSize,
    long? ResponseSize,
    string? Consumer,
    string? ClientIp,
    string? UserAgent,
    string? TraceId,
    string? ErrorType,
    string? ErrorMessage);
