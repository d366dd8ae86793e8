namespace SentryFlow.Keys.Keys;

/// <summary>When a usage-limited key's <see cref="ApiKey.Remaining"/> resets to its refill amount (UTC calendar).</summary>
public enum RefillInterval
{
    None = 0,
    Daily = 1,
    Monthly = 2,
}
