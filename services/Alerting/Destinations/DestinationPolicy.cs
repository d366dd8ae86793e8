using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace SentryFlow.Alerting.Destinations;

/// <summary>
/// Where notifications may go: public addresses, and what the operator allows (<see cref="DestinationOptions"/>).
/// Without it a rule's channel is a server-side request forgery: a webhook to the cloud metadata address, to the
/// platform's own services or to anything on the private network, and the delivery log telling which ports answer.
/// The check that counts is made on the address actually connected to (<see cref="ConnectAsync"/>, the HTTP
/// handler's and the SMTP sender's only way out): a public name resolving to a private address, or re-resolving to
/// one later (DNS rebinding), is refused there. <see cref="AllowsHost"/> refuses the obvious cases when a rule is saved.
/// </summary>
public sealed class DestinationPolicy
{
    /// <summary>All a tenant learns of a refused destination (the delivery log's error).</summary>
    public const string Refused = "refused by policy";

    /// <summary>Not the public internet: IANA's special-purpose registries (RFC 6890 and successors), both families.</summary>
    private static readonly IPNetwork[] NonPublic = [.. new[]
    {
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4",
        // ::/96 holds ::, ::1 and the deprecated IPv4-compatible addresses.
        "::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10",
        "fec0::/10", "ff00::/8",
    }.Select(IPNetwork.Parse)];

    /// <summary>NAT64's well-known prefix: the address behind it is the IPv4 one in its last 32 bits.</summary>
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>Names that say they are internal: one label (<c>keys</c>, <c>analytics</c>: the platform's own services), or a local suffix.</summary>
    private static readonly string[] InternalSuffixes =
        [".localhost", ".local", ".localdomain", ".internal", ".intranet", ".lan", ".home", ".home.arpa", ".corp", ".private"];

    private readonly IPNetwork[] _allowedNetworks;
    private readonly HashSet<string> _allowedHosts;
    private readonly HostResolver _resolver;

    public DestinationPolicy(IOptions<DestinationOptions> options, HostResolver resolver)
    {
        _resolver = resolver;
        var networks = new List<IPNetwork>();
        _allowedHosts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in options.Value.Allow)
        {
            if (TryParseNetwork(entry, out var network))
            {
                networks.Add(network);
            }
            else
            {
                _allowedHosts.Add(Normalize(entry));
            }
        }

        _allowedNetworks = [.. networks];
    }

    /// <summary>Whether <paramref name="entry"/> of the allow-list is a network, an address or a host name (checked at start).</summary>
    public static bool IsValidEntry(string? entry) =>
        !string.IsNullOrWhiteSpace(entry) && (TryParseNetwork(entry, out _) || Uri.CheckHostName(Normalize(entry)) == UriHostNameType.Dns);

    /// <summary>An address on the public internet (an IPv4-mapped or NAT64 address counts as the IPv4 address it carries).</summary>
    public static bool IsPublic(IPAddress address)
    {
        address = Unwrapped(address);
        return !NonPublic.Any(network => network.Contains(address));
    }

    /// <summary>Whether a connection to <paramref name="address"/> is allowed: public, or in an allowed network.</summary>
    public bool Allows(IPAddress address) =>
        IsPublic(address) || _allowedNetworks.Any(network => network.Contains(address) || network.Contains(Unwrapped(address)));

    /// <summary>
    /// The check when a channel is saved, without resolving anything: a literal address must be allowed; a name must be
    /// allowed by name or not say it is internal (<c>localhost</c>, <c>keys</c>, <c>*.internal</c>...). Whatever it
    /// resolves to is checked when connecting.
    /// </summary>
    public bool AllowsHost(string host)
    {
        var name = Normalize(host);
        if (IPAddress.TryParse(name, out var address))
        {
            return Allows(address);
        }

        return _allowedHosts.Contains(name) || (name.Contains('.', StringComparison.Ordinal) && !InternalSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal)));
    }

    /// <summary>
    /// Resolves <paramref name="host"/>, keeps the addresses the policy allows (every one, for a host allowed by name) and
    /// connects to the first that answers. Throws <see cref="DestinationRefusedException"/> before any packet is sent
    /// when none is allowed.
    /// </summary>
    public async Task<Socket> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var name = Normalize(host);
        var addresses = IPAddress.TryParse(name, out var literal) ? [literal] : await _resolver.ResolveAsync(name, cancellationToken);
        var allowed = _allowedHosts.Contains(name) ? addresses : [.. addresses.Where(Allows)];
        if (allowed.Length == 0)
        {
            throw new DestinationRefusedException();
        }

        SocketException? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return socket;
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                last = exception;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    /// <summary>
    /// The handler of the notification client: every connection goes through <see cref="ConnectAsync"/>. No proxy (the
    /// policy must see the receiver's address, not a proxy's) and no redirects (a receiver's 3xx is its answer).
    /// </summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, cancellationToken) =>
            new NetworkStream(await ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken), ownsSocket: true),
    };

    private static bool TryParseNetwork(string entry, out IPNetwork network)
    {
        var text = entry.Trim();
        if (IPNetwork.TryParse(text, out network))
        {
            return true;
        }

        if (IPAddress.TryParse(text.Trim('[', ']'), out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return false;
    }

    private static string Normalize(string host) => host.Trim().Trim('[', ']').TrimEnd('.').ToLowerInvariant();

    private static IPAddress Unwrapped(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        return Nat64.Contains(address) ? new IPAddress(address.GetAddressBytes()[12..]) : address;
    }
}
