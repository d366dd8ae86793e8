namespace SentryFlow.Contracts.RateLimit;

/// <summary>
/// A decision. The top-level numbers are the binding limit's (the one that rejected, or the one with the fewest
/// units left); <c>headers</c> holds the RateLimit header values to send as they are; <c>policies</c> has every
/// policy and limit that took part.
/// </summary>
/// <param name="Allowed">Whether the request may go ahead.</param>
/// <param name="Limit">The binding limit's quota; null when no policy applied.</param>
/// <param name="Remaining">Units left in it.</param>
/// <param name="Reset">Seconds until it is fully restored (rounded up).</param>
/// <param name="RetryAfter">When rejected: seconds until the request would be admitted (rounded up; never earlier).</param>
/// <param name="Source">Who decided: one of <see cref="CheckSources"/>.</param>
public sealed record CheckResponse(
    bool Allowed,
    long? Limit,
    long? Remaining,
    long? Reset,
    long? RetryAfter,
    string Source,
    HeaderValues? Headers,
    IReadOnlyList<PolicyDecisionResponse> Policies);

/// <summary>The values of the RateLimit-Policy, RateLimit and (on rejection) Retry-After fields.</summary>
public sealed record HeaderValues(string RateLimitPolicy, string RateLimit, string? RetryAfter);

public sealed record PolicyDecisionResponse(Guid PolicyId, string Policy, string Identifier, bool Allowed, string Source, Guid? OverrideId, IReadOnlyList<LimitStateResponse> Limits);

/// <summary>One limit's state; times in seconds (fractions allowed), <c>retryAfter</c> null when it admits, -1 never.</summary>
public sealed record LimitStateResponse(string Name, long Limit, int WindowSeconds, long Remaining, double Reset, double? RetryAfter);

/// <summary>The values of <see cref="CheckResponse.Source"/>.</summary>
public static class CheckSources
{
    /// <summary>The policies' scripts in Redis: exact, shared by every instance.</summary>
    public const string Redis = "redis";

    /// <summary>Redis could not answer and the policies fail open: the instance's local limiter decided.</summary>
    public const string LocalFallback = "localFallback";

    /// <summary>Redis could not answer and a policy fails closed: refused, answered 503.</summary>
    public const string FailedClosed = "failedClosed";

    /// <summary>No policy applies (none matches the route, or the named one is absent and the request allowed that): admitted.</summary>
    public const string None = "none";
}
