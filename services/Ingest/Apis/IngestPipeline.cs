using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SentryFlow.Contracts;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Ingest.Authentication;
using SentryFlow.Ingest.Limits;
using SentryFlow.Ingest.Publishing;
using SentryFlow.Ingest.Records;
using SentryFlow.ServiceDefaults.Validation;

namespace SentryFlow.Ingest.Apis;

/// <summary>Read, validate, deduplicate, publish, answer: the same steps for records and events.</summary>
public sealed partial class IngestPipeline(
    RecordValidator validator, IngestRateLimiter limiter, IdempotencyWindow idempotency, BatchPublisher publisher, IngestMetrics metrics,
    IOptions<JsonOptions> json, TimeProvider time, ILogger<IngestPipeline> logger)
{
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;

    public Task<IResult> IngestRecordsAsync(HttpContext http, bool batch) =>
        IngestAsync<RequestRecordInput, RequestRecord>(http, IngestKind.Record, batch, validator.Validate, r => r.ClientId,
            (key, items) => new RequestRecordsAccepted(Guid.CreateVersion7(), key.ProjectId, key.KeyId, time.GetUtcNow(), items));

    public Task<IResult> IngestEventsAsync(HttpContext http, bool batch) =>
        IngestAsync<EventInput, IngestedEvent>(http, IngestKind.Event, batch, validator.Validate, e => e.EventId,
            (key, items) => new EventsAccepted(Guid.CreateVersion7(), key.ProjectId, key.KeyId, time.GetUtcNow(), items));

    private async Task<IResult> IngestAsync<TInput, TItem>(
        HttpContext http, IngestKind kind, bool batch, Func<TInput, int, List<Rejection>, TItem?> validate, Func<TItem, string?> clientId,
        Func<IngestKey, IReadOnlyList<TItem>, object> toMessage) where TItem : class
    {
        var key = (IngestKey)http.Items[typeof(IngestKey)]!;
        if (!http.Request.HasJsonContentType())
        {
            return IngestProblems.MediaTypeUnsupported.Result("Send application/json (optionally gzip-encoded).");
        }

        if (http.Request.ContentLength > IngestLimits.MaxBatchBytes)
        {
            return IngestProblems.BodyTooLarge.Result($"A post is at most {IngestLimits.MaxBatchBytes} bytes.");
        }

        PooledBody? body;
        try
        {
            body = await PooledBody.ReadAsync(http.Request, IngestLimits.MaxBatchBytes, http.RequestAborted);
        }
        catch (Exception exception) when (exception is InvalidDataException or InvalidOperationException)
        {
            // Thrown by the decompressing stream the request decompression middleware put in front of the body (which
            // also took the Content-Encoding header away): gzip and deflate say InvalidDataException, Brotli's decoder
            // InvalidOperationException ("Decoder ran into invalid data").
            return IngestProblems.BodyInvalid.Validation("$", "The body does not decompress as its Content-Encoding says.");
        }

        using var _ = body;
        if (body is null)
        {
            return IngestProblems.BodyTooLarge.Result($"A post is at most {IngestLimits.MaxBatchBytes} bytes (uncompressed).");
        }

        metrics.Bytes.Add(body.Length);
        using var parsed = ReadAll<TInput>(body.Memory, batch, out var inputs, out var problem);
        if (problem is not null)
        {
            return IngestProblems.BodyInvalid.Validation("$", problem);
        }

        var rejections = new List<Rejection>();
        var accepted = new List<TItem>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            if ((inputs[i] ?? Read<TInput>(parsed!.RootElement, batch, i, rejections)) is { } input && validate(input, i, rejections) is { } item)
            {
                accepted.Add(item);
            }
        }

        foreach (var rejection in rejections)
        {
            metrics.Rejected.Add(1, new KeyValuePair<string, object?>("field", rejection.Field));
        }

        if (accepted.Count == 0 && rejections.Count > 0)
        {
            return IngestProblems.PayloadInvalid.Validation(rejections
                .GroupBy(r => batch ? $"[{r.Index}].{r.Field}" : r.Field)
                .ToDictionary(g => g.Key, g => g.Select(r => r.Reason).ToArray()));
        }

        // Before the idempotency window: a refused post has claimed nothing, so its retry is not taken for a duplicate.
        var allowance = await limiter.CheckAsync(key.ProjectId, accepted.Count, http.RequestAborted);
        if (allowance.RateLimitPolicy is not null)
        {
            http.Response.Headers[RateLimitHeaderNames.Policy] = allowance.RateLimitPolicy;
            http.Response.Headers[RateLimitHeaderNames.RateLimit] = allowance.RateLimit;
        }

        if (!allowance.Allowed)
        {
            metrics.RateLimited.Add(accepted.Count);
            http.Response.Headers.RetryAfter = allowance.RetryAfter ?? "1";
            return IngestProblems.RateLimited.Result(
                $"The project's ingest limit (policy '{IngestRateLimiter.PolicyName}') is exhausted; nothing of this post was accepted. Send it again after Retry-After.");
        }

        // Looked up, not claimed: only a post the broker confirmed marks its ids, so a failed post's retry is never a duplicate.
        var (fresh, looked) = await idempotency.LookUpAsync(kind, key.ProjectId, [.. accepted.Select(clientId)]);
        if (!looked)
        {
            metrics.IdempotencyUnchecked.Add(1);
        }

        var toSend = accepted.Where((_, i) => fresh[i]).ToList();
        var duplicates = accepted.Count - toSend.Count;
        try
        {
            if (toSend.Count > 0)
            {
                await publisher.PublishAsync(toSend, chunk => toMessage(key, chunk), http.RequestAborted);
            }
        }
        catch (BusUnavailableException exception)
        {
            LogRefused(logger, exception, toSend.Count);
            http.Response.Headers.RetryAfter = "5";
            // Not "nothing was stored": a broker that confirms too late may still deliver what it was given, which
            // analytics then stores; an item sent again with its id is stored once.
            return IngestProblems.BrokerUnavailable.Result(
                "The message broker did not confirm this post: it is not accepted, though some of its items may still arrive. Send it again after Retry-After, with the same ids (clientId, eventId): each is stored once.");
        }

        // Accepted whether or not the mark reaches Redis: a retry it misses is stored once all the same (analytics dedupes).
        if (!await idempotency.MarkAcceptedAsync(kind, key.ProjectId, toSend.Select(clientId).OfType<string>()))
        {
            metrics.IdempotencyUnchecked.Add(1);
        }

        metrics.Accepted.Add(toSend.Count);
        metrics.Duplicates.Add(duplicates);
        return TypedResults.Accepted((string?)null, new IngestResult(toSend.Count, duplicates, rejections));
    }

    // The fast path reads the whole body straight into inputs. Only when some item does not fit is the body
    // parsed as a document (returned, for reading item by item), so a bad item is named without costing the rest.
    private JsonDocument? ReadAll<TInput>(ReadOnlyMemory<byte> utf8, bool batch, out List<TInput?> inputs, out string? problem)
    {
        (inputs, problem) = ([], null);
        try
        {
            inputs = batch ? [.. JsonSerializer.Deserialize<TInput?[]>(utf8.Span, _json) ?? []] : [JsonSerializer.Deserialize<TInput>(utf8.Span, _json)];
            if (inputs.TrueForAll(input => input is not null))
            {
                problem = batch && inputs.Count is 0 or > IngestLimits.MaxBatchItems ? $"A batch holds 1 to {IngestLimits.MaxBatchItems} items." : null;
                return null;
            }
        }
        catch (JsonException)
        {
            // Read again below, item by item.
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException e)
        {
            problem = $"Not valid JSON: {e.Message}";
            return null;
        }

        var root = document.RootElement;
        if (batch && root.ValueKind != JsonValueKind.Array)
        {
            problem = "A batch is a JSON array.";
        }
        else if (batch && root.GetArrayLength() is 0 or > IngestLimits.MaxBatchItems)
        {
            problem = $"A batch holds 1 to {IngestLimits.MaxBatchItems} items.";
        }
        else
        {
            inputs = [.. Enumerable.Repeat(default(TInput), batch ? root.GetArrayLength() : 1)];
        }

        return document;
    }

    private TInput? Read<TInput>(JsonElement root, bool batch, int index, List<Rejection> rejections)
    {
        var element = batch ? root[index] : root;
        if (element.ValueKind != JsonValueKind.Object)
        {
            rejections.Add(new Rejection(index, "$", "Each item is a JSON object."));
            return default;
        }

        try
        {
            return element.Deserialize<TInput>(_json);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "$";
            rejections.Add(new Rejection(index, field,
                e.Message == StorableStringConverter.NulMessage ? e.Message : "The value has the wrong type."));
            return default;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Count} items with 503: the broker did not confirm")]
    private static partial void LogRefused(ILogger logger, Exception exception, int count);
}
