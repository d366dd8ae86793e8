using System.Threading.RateLimiting;

namespace SentryFlow.Identity.Tokens;

/// <summary>
/// Caps sign-in attempts per account (email), whatever address they come from, on top of the per-address limit
/// of the token endpoint: a password-spraying client rotating addresses still gets few guesses at one account.
/// </summary>
public sealed class AccountThrottle(IConfiguration configuration) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(account =>
        RateLimitPartition.GetFixedWindowLimiter(account, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = configuration.GetValue("Identity:Throttle:SignInPerAccountPerMinute", 10),
            Window = TimeSpan.FromMinutes(1),
        }));

    /// <summary>
    /// Takes one attempt for <paramref name="account"/>; false when its allowance for this minute is spent, with how long
    /// until it is renewed.
    /// </summary>
    public bool TryAcquire(string account, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(account.Trim().ToUpperInvariant());
        retryAfter = !lease.IsAcquired && lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
