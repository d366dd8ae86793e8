using Microsoft.AspNetCore.DataProtection;

namespace SentryFlow.Alerting.Rules;

/// <summary>
/// Encrypts a channel's secrets (webhook secret, SMTP password, PagerDuty routing key) at rest with ASP.NET Core Data
/// Protection, and decrypts them only to send. A value without the <see cref="Prefix"/> was stored before encryption
/// and is used as it is.
/// </summary>
public sealed class ChannelSecrets(IDataProtectionProvider provider)
{
    private const string Prefix = "dp1:";

    private readonly IDataProtector _protector = provider.CreateProtector("SentryFlow.Alerting.ChannelSecrets.v1");

    /// <summary>Encrypts the secrets of channels as a user gave them (in clear).</summary>
    public void Protect(IEnumerable<NotificationChannel> channels)
    {
        foreach (var channel in channels)
        {
            channel.Secret = Protect(channel.Secret);
            channel.RoutingKey = Protect(channel.RoutingKey);
        }
    }

    /// <summary>A copy of <paramref name="channel"/> with its secrets in clear, to send with.</summary>
    public NotificationChannel Unprotected(NotificationChannel channel)
    {
        var copy = channel.Copy();
        copy.Secret = Unprotect(channel.Secret);
        copy.RoutingKey = Unprotect(channel.RoutingKey);
        return copy;
    }

    private string? Protect(string? value) => string.IsNullOrEmpty(value) ? value : Prefix + _protector.Protect(value);

    private string? Unprotect(string? value) =>
        value is not null && value.StartsWith(Prefix, StringComparison.Ordinal) ? _protector.Unprotect(value[Prefix.Length..]) : value;
}
