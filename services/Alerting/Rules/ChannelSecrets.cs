using Microsoft.AspNetCore.DataProtection;

namespace SentryFlow.Alerting.Rules;

/// <summary>
/// Encrypts a channel's secrets (webhook secret, SMTP password, PagerDuty routing key, and a Slack channel's URL: an
/// incoming webhook's URL is its credential) at rest with ASP.NET Core Data Protection, and decrypts them only to send,
/// or to show a Slack URL's host and last characters. A value without the <see cref="Prefix"/> was stored before
/// encryption and is used as it is.
/// </summary>
public sealed class ChannelSecrets(IDataProtectionProvider provider)
{
    private const string Prefix = "dp1:";

    /// <summary>How many of a secret URL's last characters are shown (with its scheme and host), to tell two apart.</summary>
    private const int ShownTail = 4;

    private readonly IDataProtector _protector = provider.CreateProtector("SentryFlow.Alerting.ChannelSecrets.v1");

    /// <summary>Whether a channel's URL is a credential, never stored in clear nor shown whole.</summary>
    public static bool IsSecretUrl(NotificationChannel channel) => channel.Type == ChannelType.Slack;

    /// <summary>Encrypts the secrets of channels as a user gave them (in clear).</summary>
    public void Protect(IEnumerable<NotificationChannel> channels)
    {
        foreach (var channel in channels)
        {
            channel.Secret = Protect(channel.Secret);
            channel.RoutingKey = Protect(channel.RoutingKey);
            if (IsSecretUrl(channel))
            {
                channel.Url = Protect(channel.Url);
            }
        }
    }

    /// <summary>Encrypts a secret URL saved before such URLs were encrypted (in clear); false when there was none.</summary>
    public bool ProtectClearUrl(NotificationChannel channel)
    {
        if (!IsSecretUrl(channel) || string.IsNullOrEmpty(channel.Url) || channel.Url.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        channel.Url = Protect(channel.Url);
        return true;
    }

    /// <summary>A copy of <paramref name="channel"/> with its secrets in clear, to send with.</summary>
    public NotificationChannel Unprotected(NotificationChannel channel)
    {
        var copy = channel.Copy();
        copy.Secret = Unprotect(channel.Secret);
        copy.RoutingKey = Unprotect(channel.RoutingKey);
        copy.Url = Unprotect(channel.Url);
        return copy;
    }

    /// <summary>The channel's URL as the API shows it: whole, or for a secret URL its scheme, host and last characters only.</summary>
    public string? ShownUrl(NotificationChannel channel)
    {
        if (!IsSecretUrl(channel) || Unprotect(channel.Url) is not { } url)
        {
            return channel.Url;
        }

        var tail = url.Length > ShownTail ? url[^ShownTail..] : "";
        return Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? $"{parsed.Scheme}://{parsed.Authority}/…{tail}" : $"…{tail}";
    }

    private string? Protect(string? value) => string.IsNullOrEmpty(value) ? value : Prefix + _protector.Protect(value);

    private string? Unprotect(string? value) =>
        value is not null && value.StartsWith(Prefix, StringComparison.Ordinal) ? _protector.Unprotect(value[Prefix.Length..]) : value;
}
