namespace SentryFlow.RateLimit.Infrastructure;

/// <summary>Sizes shared by the schema and the request validation, so what passes validation fits.</summary>
public static class Limits
{
    public const int Name = 100;
    public const int LimitName = 64;
    public const int Identifier = 256;
    public const int LimitsPerPolicy = 8;
    public const int RoutesPerPolicy = 32;
    public const int OverridesPerPolicy = 1000;
    public const long MaxLimit = 1_000_000_000;
    public const int MaxWindowSeconds = 31 * 24 * 3600;
    public const int MaxCost = 1_000_000;
    public const int MaxBatch = 1000;

    /// <summary>
    /// The token bucket keeps tokens × window (µs) as an exact integer in Lua's doubles: burst × window must stay
    /// under 2^53 µs, i.e. burst × windowSeconds at most this.
    /// </summary>
    public const long MaxBurstTimesWindowSeconds = 9_000_000_000;
}
