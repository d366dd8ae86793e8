namespace SentryFlow.Analytics.Queries;

/// <summary>One record in full: its log entry, the (masked) headers and bodies, and when ingest accepted and analytics stored it.</summary>
public sealed record RequestRecordDetail(
    RequestLogEntry Record,
    IReadOnlyDictionary<string, string>? RequestHeaders,
    IReadOnlyDictionary<string, string>? ResponseHeaders,
    string? RequestBody,
    string? ResponseBody,
    DateTimeOffset AcceptedAt,
    DateTimeOffset StoredAt);
