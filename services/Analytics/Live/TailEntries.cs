using SentryFlow.Analytics.Queries;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Analytics.Live;

/// <summary>A stored record as the request log shows it (PostgreSQL keeps timestamps to the microsecond).</summary>
public static class TailEntries
{
    public static RequestLogEntry From(RequestRecord record) =>
        new(
            record.RecordId,
            record.ClientId,
            new DateTimeOffset(record.Timestamp.UtcTicks - (record.Timestamp.UtcTicks % 10), TimeSpan.Zero),
            record.Method,
            record.Host,
            record.Path,
            record.Route,
            record.Status,
            record.DurationMs,
            record.RequestSize,
            record.ResponseSize,
            record.Consumer,
            record.ClientIp,
            record.UserAgent,
            record.TraceId,
            record.ErrorType,
            record.ErrorMessage);
}
