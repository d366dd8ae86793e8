using System.Globalization;
using System.Security.Cryptography;
using System.Text;

using Xunit;

namespace SentryFlow.Testing;

/// <summary>What a receiver does with <c>X-SentryFlow-Signature: t=…,v1=…</c>: recompute the HMAC and refuse old timestamps.</summary>
public static class SignedWebhook
{
    public static void AssertValid(ReceivedRequest request, string secret)
    {
        Assert.True(request.Headers.TryGetValue("X-SentryFlow-Signature", out var header), "no signature header");
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var timestamp = long.Parse(parts["t"], CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, -300, 300); // a replay window of 5 minutes
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{request.Body}"));
        Assert.True(CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(parts["v1"])), "the signature does not match the body");
    }
}
