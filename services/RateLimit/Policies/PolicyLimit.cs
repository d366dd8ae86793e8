namespace SentryFlow.RateLimit.Policies;

/// <summary>
/// One named limit of a policy. All of a policy's limits are checked together: a request is admitted only when
/// every limit admits it, and then each is charged.
/// </summary>
public sealed class PolicyLimit
{
    /// <summary>The limit's name, e.g. <c>burst</c> or <c>daily</c>: the quota policy's name in the RateLimit headers.</summary>
    public required string Name { get; set; }

    /// <summary>Requests (units of cost) per window; for the token bucket and GCRA, the refill per window.</summary>
    public long Limit { get; set; }

    /// <summary>The window in seconds; for the token bucket and GCRA, the period over which <see cref="Limit"/> refills.</summary>
    public int WindowSeconds { get; set; }

    /// <summary>Token bucket and GCRA: how many units can be taken at once (the capacity); defaults to <see cref="Limit"/>.</summary>
    public long? Burst { get; set; }
}
