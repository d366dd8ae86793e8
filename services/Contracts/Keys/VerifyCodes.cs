namespace SentryFlow.Contracts.Keys;

/// <summary>The machine-readable outcomes of a verification (<see cref="VerifyKeyResponse.Code"/>).</summary>
public static class VerifyCodes
{
    public const string Valid = "VALID";
    public const string NotFound = "NOT_FOUND";
    public const string Disabled = "DISABLED";
    public const string Expired = "EXPIRED";
    public const string UsageExceeded = "USAGE_EXCEEDED";
    public const string InsufficientScopes = "INSUFFICIENT_SCOPES";
    public const string RateLimited = "RATE_LIMITED";
}
