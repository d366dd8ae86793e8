namespace SentryFlow.RateLimit.Decisions;

/// <summary>What one named limit said about a request.</summary>
/// <param name="Name">The limit's name (the quota policy's name in the RateLimit headers).</param>
/// <param name="Limit">The quota: units per window (the override's value when one applied).</param>
/// <param name="WindowSeconds">The window.</param>
/// <param name="Remaining">Units left after this request (when admitted) or now (when rejected).</param>
/// <param name="ResetMicros">Microseconds until the limit is fully restored.</param>
/// <param name="RetryAfterMicros">0 when this limit admits the request; else how long until it would; -1 never (cost above the limit).</param>
public sealed record LimitOutcome(string Name, long Limit, int WindowSeconds, long Remaining, long ResetMicros, long RetryAfterMicros)
{
    public bool Admits => RetryAfterMicros == 0;
}
