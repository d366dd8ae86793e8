namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>
/// One API request as a gateway or SDK reported it, validated and masked by ingest. <see cref="ClientId"/> is the
/// sender's idempotency id; <see cref="RecordId"/> is ingest's own.
/// </summary>
public sealed record RequestRecord(
    Guid RecordId,
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
    string? ErrorMessage,
    IReadOnlyDictionary<string, string>? RequestHeaders,
    IReadOnlyDictionary<string, string>? ResponseHeaders,
    string? RequestBody,
    string? ResponseBody);
