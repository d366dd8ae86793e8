namespace SentryFlow.RateLimit.Decisions;

/// <summary>A limit as it applies to one request: the policy's, or an override's values.</summary>
public readonly record struct EffectiveLimit(string Name, long Limit, int WindowSeconds, long Burst)
{
    public long WindowMicros => WindowSeconds * 1_000_000L;
}
