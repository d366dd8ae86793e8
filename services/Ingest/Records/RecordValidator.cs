using System.Net;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Ingest.Records;

/// <summary>Checks each field of a record or event and turns a good one into what goes on the bus (masked).</summary>
public sealed class RecordValidator(Masker masker, TimeProvider time)
{
    /// <summary>An event sent without a payload carries an empty object (an absent one could not be serialized onto the bus).</summary>
    private static readonly System.Text.Json.JsonElement NoPayload = System.Text.Json.JsonDocument.Parse("{}").RootElement.Clone();

    private static readonly HashSet<string> Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT"];

    public RequestRecord? Validate(RequestRecordInput input, int index, List<Rejection> rejections)
    {
        var before = rejections.Count;
        void Reject(string field, string reason) => rejections.Add(new Rejection(index, field, reason));

        Text(input.ClientId, "clientId", 128, required: false, Reject);
        CheckTimestamp(input.Timestamp, Reject);
        if (input.Method is null || !Methods.Contains(input.Method.ToUpperInvariant()))
        {
            Reject("method", "An HTTP method (GET, POST, ...) is required.");
        }

        Text(input.Host, "host", 255, required: true, Reject);
        if (Text(input.Path, "path", 2048, required: true, Reject) && !input.Path!.StartsWith('/'))
        {
            Reject("path", "The path starts with '/'.");
        }

        Text(input.Route, "route", 512, required: false, Reject);
        if (input.Status is not (>= 100 and <= 599))
        {
            Reject("status", "A status from 100 to 599 is required.");
        }

        if (input.DurationMs is not (>= 0 and <= 3_600_000))
        {
            Reject("durationMs", "A duration from 0 to 3,600,000 ms is required.");
        }

        if (input.RequestSize < 0)
        {
            Reject("requestSize", "Sizes are not negative.");
        }

        if (input.ResponseSize < 0)
        {
            Reject("responseSize", "Sizes are not negative.");
        }

        Text(input.Consumer, "consumer", 256, required: false, Reject);
        if (input.ClientIp is not null && (HasNul(input.ClientIp) || !IPAddress.TryParse(input.ClientIp, out _)))
        {
            Reject("clientIp", "Not an IPv4 or IPv6 address.");
        }

        Text(input.UserAgent, "userAgent", 1024, required: false, Reject);
        Text(input.TraceId, "traceId", 128, required: false, Reject);
        Text(input.ErrorType, "errorType", 256, required: false, Reject);
        Text(input.ErrorMessage, "errorMessage", 4096, required: false, Reject);
        Headers(input.RequestHeaders, "requestHeaders", Reject);
        Headers(input.ResponseHeaders, "responseHeaders", Reject);
        Body(input.RequestBody, "requestBody", Reject);
        Body(input.ResponseBody, "responseBody", Reject);
        if (rejections.Count > before)
        {
            return null;
        }

        return new RequestRecord(RecordIds.New(time.GetUtcNow()), input.ClientId, input.Timestamp!.Value.ToUniversalTime(), input.Method!.ToUpperInvariant(),
            input.Host!, input.Path!, input.Route, input.Status!.Value, input.DurationMs!.Value, input.RequestSize, input.ResponseSize,
            input.Consumer, input.ClientIp, input.UserAgent, input.TraceId, input.ErrorType, input.ErrorMessage,
            masker.MaskHeaders(input.RequestHeaders), masker.MaskHeaders(input.ResponseHeaders),
            masker.MaskBody(input.RequestBody), masker.MaskBody(input.ResponseBody));
    }

    public IngestedEvent? Validate(EventInput input, int index, List<Rejection> rejections)
    {
        var before = rejections.Count;
        void Reject(string field, string reason) => rejections.Add(new Rejection(index, field, reason));

        Text(input.EventId, "eventId", 128, required: true, Reject);
        Text(input.Type, "type", 128, required: true, Reject);
        CheckTimestamp(input.Timestamp, Reject);
        if (input.Payload is { } payload && payload.GetRawText() is var raw)
        {
            if (raw.Length > IngestLimits.MaxEventPayloadBytes)
            {
                Reject("payload", $"The payload is at most {IngestLimits.MaxEventPayloadBytes / 1024} KiB.");
            }
            else if (HasNul(payload, raw))
            {
                Reject("payload", NulReason);
            }
        }

        return rejections.Count > before
            ? null
            : new IngestedEvent(input.EventId!, input.Type!, input.Timestamp!.Value.ToUniversalTime(),
                masker.MaskJson(input.Payload ?? NoPayload));
    }

    private void CheckTimestamp(DateTimeOffset? timestamp, Action<string, string> reject)
    {
        var now = time.GetUtcNow();
        if (timestamp is null)
        {
            reject("timestamp", "A timestamp is required.");
        }
        else if (timestamp > now + IngestLimits.MaxFuture)
        {
            reject("timestamp", $"More than {IngestLimits.MaxFuture.TotalMinutes} minutes in the future.");
        }
        else if (timestamp < now - IngestLimits.MaxAge)
        {
            reject("timestamp", $"More than {IngestLimits.MaxAge.TotalDays} days in the past.");
        }
    }

    private static bool Text(string? value, string field, int maxLength, bool required, Action<string, string> reject)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                reject(field, "Required.");
            }

            return false;
        }

        if (value.Length > maxLength)
        {
            reject(field, $"At most {maxLength} characters.");
            return false;
        }

        if (HasNul(value))
        {
            reject(field, NulReason);
            return false;
        }

        return true;
    }

    /// <summary>
    /// PostgreSQL stores no NUL character in text or jsonb. Accepting one would fail the transaction that stores it,
    /// and with it every other record (other projects' too) stored in the same transaction.
    /// </summary>
    private const string NulReason = "Contains a NUL character (\\u0000), which cannot be stored.";

    private static bool HasNul(string value) => value.Contains('\0');

    /// <summary>
    /// Whether any string or property name in <paramref name="json"/> holds a NUL; only walked when its text
    /// (<paramref name="raw"/>) escapes one.
    /// </summary>
    private static bool HasNul(System.Text.Json.JsonElement json, string raw) =>
        raw.Contains("\\u0000", StringComparison.OrdinalIgnoreCase) && HasNulWithin(json);

    private static bool HasNulWithin(System.Text.Json.JsonElement json) => json.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => HasNul(json.GetString()!),
        System.Text.Json.JsonValueKind.Array => json.EnumerateArray().Any(HasNulWithin),
        System.Text.Json.JsonValueKind.Object => json.EnumerateObject().Any(p => HasNul(p.Name) || HasNulWithin(p.Value)),
        _ => false,
    };

    private static void Headers(Dictionary<string, string>? headers, string field, Action<string, string> reject)
    {
        if (headers?.Count > IngestLimits.MaxHeaders)
        {
            reject(field, $"At most {IngestLimits.MaxHeaders} headers.");
        }
        else if (headers?.Any(header => HasNul(header.Key) || HasNul(header.Value)) == true)
        {
            reject(field, NulReason);
        }
    }

    private static void Body(System.Text.Json.JsonElement? body, string field, Action<string, string> reject)
    {
        if (body is not { } value)
        {
            return;
        }

        var raw = value.GetRawText();
        if (raw.Length > IngestLimits.MaxBodyCharacters)
        {
            reject(field, $"Bodies are at most {IngestLimits.MaxBodyCharacters / 1024} KiB; send a prefix.");
        }
        else if (HasNul(value, raw))
        {
            reject(field, NulReason);
        }
    }
}
