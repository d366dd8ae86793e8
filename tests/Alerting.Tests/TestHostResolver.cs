using System.Net;
using SentryFlow.Alerting.Destinations;

namespace SentryFlow.Alerting.Tests;

/// <summary>
/// DNS as a receiver's owner controls it: names of the reserved <c>.test</c> domain resolve to the loopback addresses
/// the tests choose (a public-looking name that resolves, or rebinds, to an internal address); any other name as usual.
/// </summary>
public sealed class TestHostResolver : HostResolver
{
    /// <summary>Resolves to 127.0.0.1, which the harness allows.</summary>
    public const string AllowedName = "receiver.alerting.test";

    /// <summary>Resolves to 127.0.0.2: loopback, not allowed (nothing is ever sent to it: the connection is refused before).</summary>
    public const string RefusedName = "rebound.alerting.test";

    public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => host switch
    {
        AllowedName => Task.FromResult<IPAddress[]>([IPAddress.Loopback]),
        RefusedName => Task.FromResult<IPAddress[]>([IPAddress.Parse("127.0.0.2")]),
        _ => base.ResolveAsync(host, cancellationToken),
    };
}
