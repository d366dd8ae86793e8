using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Ingest;

/// <summary>
/// Ingest's problem codes (<c>GET /problems</c> lists them with the common ones): every error answer of the ingest and
/// dead-letter endpoints carries one. Senders act on the code (a 503 is retried, a 400 is not), so a code, once added,
/// is never renamed.
/// </summary>
public static class IngestProblems
{
    public static readonly ProblemType KeyMissing = new("ingest.key_missing", StatusCodes.Status401Unauthorized, "An ingest key is required.");

    /// <summary>Unknown, disabled, expired, or not shaped like a key at all (e.g. longer than any key).</summary>
    public static readonly ProblemType KeyInvalid = new("ingest.key_invalid", StatusCodes.Status401Unauthorized, "The ingest key is not valid.");

    public static readonly ProblemType KeyForbidden = new("ingest.key_forbidden", StatusCodes.Status403Forbidden, "The key lacks the ingest:write permission.");

    public static readonly ProblemType KeyLimited = new("ingest.key_limited", StatusCodes.Status429TooManyRequests, "The key's own limit is reached.");

    /// <summary>The keys service is unreachable or failing (5xx): nothing was accepted; send again after Retry-After.</summary>
    public static readonly ProblemType KeyServiceUnavailable = new("ingest.key_service_unavailable", StatusCodes.Status503ServiceUnavailable, "The key service cannot be reached.");

    public static readonly ProblemType MediaTypeUnsupported = new("ingest.media_type_unsupported", StatusCodes.Status415UnsupportedMediaType, "Send application/json (optionally compressed).");

    public static readonly ProblemType BodyTooLarge = new("ingest.body_too_large", StatusCodes.Status413PayloadTooLarge, "The post is too large.");

    /// <summary>The body as a whole cannot be read: not JSON, not a batch of the right size, or a compressed body that does not decompress.</summary>
    public static readonly ProblemType BodyInvalid = new("ingest.body_invalid", StatusCodes.Status400BadRequest, "The body cannot be read.");

    /// <summary>Every item of the post has a field at fault (each named in <c>errors</c>).</summary>
    public static readonly ProblemType PayloadInvalid = new("ingest.payload_invalid", StatusCodes.Status400BadRequest, "No item of the post is valid.");

    /// <summary>The project's <c>ingest</c> rate-limit policy is exhausted: nothing was accepted; send again after Retry-After.</summary>
    public static readonly ProblemType RateLimited = new("ingest.rate_limited", StatusCodes.Status429TooManyRequests, "The project's ingest limit is exhausted.");

    /// <summary>
    /// The broker did not confirm in time: the post is not accepted, though items the broker received before it stopped
    /// confirming may still be stored; send it again after Retry-After with the same ids, and each item is stored once.
    /// </summary>
    public static readonly ProblemType BrokerUnavailable = new("ingest.broker_unavailable", StatusCodes.Status503ServiceUnavailable, "The message broker is unavailable.");

    public static readonly ProblemType QueryInvalid = new("ingest.query_invalid", StatusCodes.Status400BadRequest, "A query parameter is not valid.");
}
