using System.Security.Cryptography;
using System.Text;

namespace SentryFlow.Alerting.Notifications;

/// <summary>
/// The signature of a webhook: <c>X-SentryFlow-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c>,
/// keyed with the channel's secret. A receiver recomputes it and refuses a timestamp older than a few minutes, so
/// a captured request cannot be replayed later (the scheme Stripe uses).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-SentryFlow-Signature";

    public static string Sign(string secret, DateTimeOffset timestamp, string body)
    {
        var unix = timestamp.ToUnixTimeSeconds();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{unix}.{body}"));
        return $"t={unix},v1={Convert.ToHexStringLower(mac)}";
    }
}
