using System.Text.Json;

namespace SentryFlow.Ingest.Records;

/// <summary>A request record as posted; every field is checked by <see cref="RecordValidator"/>.</summary>
public sealed record RequestRecordInput(
    string? ClientId,
    DateTimeOffset? Timestamp,
    string? Method,
    string? Host,
    string? Path,
    string? Route,
    int? Status,
    double? DurationMs,
    long? RequestSize,
    long? ResponseSize,
    string? Consumer,
    string? ClientIp,
    string? UserAgent,
    string? TraceId,
    string? ErrorType,
    string? ErrorMessage,
    Dictionary<string, string>? RequestHeaders,
    Dictionary<string, string>? ResponseHeaders,
    JsonElement? RequestBody,
    JsonElement? ResponseBody);
