using RabbitMQ.Client;

namespace SentryFlow.ServiceDefaults;

/// <summary>
/// The parts of an AMQP URI (<c>amqp://user:pass@host:port/vhost</c>, or <c>amqps://</c> for TLS) that
/// MassTransit's RabbitMQ host configuration takes.
/// </summary>
/// <param name="Host">The broker's host name or address.</param>
/// <param name="Port">The AMQP port: from the URI, else 5672 (<c>amqp</c>) or 5671 (<c>amqps</c>).</param>
/// <param name="VirtualHost">The virtual host: the URI's path, unescaped; <c>/</c> when the path is empty.</param>
/// <param name="Username">The user name, unescaped; <c>guest</c> when the URI has none.</param>
/// <param name="Password">The password, unescaped; <c>guest</c> when the URI has none.</param>
/// <param name="UseSsl">Whether the scheme is <c>amqps</c>.</param>
public sealed record RabbitMqEndpoint(
    string Host,
    ushort Port,
    string VirtualHost,
    string Username,
    string Password,
    bool UseSsl)
{
    /// <summary>Parses an <c>amqp://</c> or <c>amqps://</c> URI.</summary>
    /// <exception cref="FormatException">The value is not an absolute AMQP URI.</exception>
    public static RabbitMqEndpoint Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);

        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != "amqp" && parsed.Scheme != "amqps")
            || string.IsNullOrEmpty(parsed.Host))
        {
            // Never echo the value: it carries the password.
            throw new FormatException(
                "The messaging connection string must be an AMQP URI such as amqp://user:password@host:5672/vhost.");
        }

        var useSsl = parsed.Scheme == "amqps";
        var port = parsed.IsDefaultPort || parsed.Port < 0 ? (useSsl ? 5671 : 5672) : parsed.Port;

        var path = parsed.AbsolutePath.TrimStart('/');
        var virtualHost = path.Length == 0 ? "/" : Uri.UnescapeDataString(path);

        string username = "guest", password = "guest";
        if (parsed.UserInfo.Length > 0)
        {
            var separator = parsed.UserInfo.IndexOf(':', StringComparison.Ordinal);
            username = Uri.UnescapeDataString(separator < 0 ? parsed.UserInfo : parsed.UserInfo[..separator]);
            password = separator < 0 ? "" : Uri.UnescapeDataString(parsed.UserInfo[(separator + 1)..]);
        }

        return new RabbitMqEndpoint(parsed.IdnHost, checked((ushort)port), virtualHost, username, password, useSsl);
    }

    /// <summary>
    /// A plain AMQP connection factory for this endpoint, for what MassTransit does not do: reading and replaying error
    /// queues, counting their messages. <paramref name="clientName"/> names the connection in the broker's list.
    /// </summary>
    public ConnectionFactory CreateConnectionFactory(string clientName) => new()
    {
        HostName = Host,
        Port = Port,
        VirtualHost = VirtualHost,
        UserName = Username,
        Password = Password,
        Ssl = { Enabled = UseSsl, ServerName = Host },
        ClientProvidedName = clientName,
        RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>The endpoint without its password, for logs.</summary>
    public override string ToString()
    {
        var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        return $"{(UseSsl ? "amqps" : "amqp")}://{Uri.EscapeDataString(Username)}@{host}:{Port}/{Uri.EscapeDataString(VirtualHost)}";
    }
}
