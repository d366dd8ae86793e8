namespace SentryFlow.Analytics.Signals;

/// <summary>The values of <see cref="SignalMinute.Signal"/>.</summary>
public static class SignalNames
{
    /// <summary>Requests a rate-limit policy rejected (from <c>RateLimitExceeded</c>).</summary>
    public const string RateLimitRejections = "rateLimitRejections";

    /// <summary>Key verifications whose outcome was not <c>VALID</c> (from <c>ApiKeysVerified</c>).</summary>
    public const string KeyVerificationFailures = "keyVerificationFailures";
}
