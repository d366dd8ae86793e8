namespace SentryFlow.Contracts;

/// <summary>
/// The fields of draft-ietf-httpapi-ratelimit-headers-11 that rate-limit renders and others (ingest, gateways) pass on.
/// </summary>
public static class RateLimitHeaderNames
{
    public const string Policy = "RateLimit-Policy";
    public const string RateLimit = "RateLimit";
}
