using System.Net;

namespace SentryFlow.Alerting.Destinations;

/// <summary>Resolves a receiver's host name at connect time, the moment its addresses are checked (DNS, through the system's resolver).</summary>
public class HostResolver
{
    public virtual Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}
