namespace SentryFlow.Samples.TrafficGenerator.Bootstrap;

/// <summary>Clients of the SentryFlow services the bootstrap calls, each with its service's base address.</summary>
public sealed record PlatformClients(HttpClient Identity, HttpClient Keys, HttpClient RateLimit, HttpClient Alerting)
{
    public const string IdentityName = "identity";
    public const string KeysName = "keys";
    public const string RateLimitName = "ratelimit";
    public const string AlertingName = "alerting";
}
