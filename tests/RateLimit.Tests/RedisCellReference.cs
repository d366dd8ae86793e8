namespace SentryFlow.RateLimit.Tests;

/// <summary>
/// redis-cell's CL.THROTTLE (brandur/redis-cell, src/throttle/rate_limiter.rs), ported line by line with time in
/// microseconds: the answers the GCRA script must give.
/// </summary>
public sealed class RedisCellReference(long maxBurst, long countPerPeriod, long periodSeconds)
{
    private readonly long _emissionInterval = periodSeconds * 1_000_000 / countPerPeriod;
    private long? _tat;

    private long DelayVariationTolerance => _emissionInterval * (maxBurst + 1);

    public (bool Limited, long Limit, long Remaining, long RetryAfterSeconds, long ResetAfterSeconds) Throttle(long now, long quantity)
    {
        var increment = _emissionInterval * quantity;
        var tat = _tat ?? now;
        var newTat = now > tat ? now + increment : tat + increment;
        var allowAt = newTat - DelayVariationTolerance;
        var diff = now - allowAt;
        long retryAfter = -1;
        bool limited;
        long ttl;
        if (diff < 0)
        {
            if (increment <= DelayVariationTolerance)
            {
                retryAfter = -diff;
            }

            limited = true;
            ttl = tat - now;
        }
        else
        {
            limited = false;
            ttl = newTat - now;
            _tat = newTat;
        }

        var next = DelayVariationTolerance - ttl;
        long remaining = 0;
        if (next > -_emissionInterval)
        {
            remaining = next / _emissionInterval;
        }

        return (limited, maxBurst + 1, remaining, retryAfter < 0 ? -1 : retryAfter / 1_000_000, ttl / 1_000_000);
    }
}
