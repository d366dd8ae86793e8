namespace SentryFlow.Ingest.Limits;

/// <summary>The rate-limit service's answer for one post: allowed or not, and the headers to send back either way.</summary>
public sealed record IngestAllowance(bool Allowed, string? RateLimitPolicy, string? RateLimit, string? RetryAfter)
{
    public static readonly IngestAllowance Unlimited = new(true, null, null, null);
}
