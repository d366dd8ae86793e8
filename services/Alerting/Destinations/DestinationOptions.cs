namespace SentryFlow.Alerting.Destinations;

/// <summary>
/// The <c>Alerting:Destinations</c> section: where notifications may go besides the public internet. Loopback, private
/// (RFC 1918, unique-local), link-local (the cloud metadata address among them), shared, multicast and reserved
/// addresses are refused unless listed here.
/// </summary>
public sealed class DestinationOptions
{
    public const string Section = "Alerting:Destinations";

    /// <summary>
    /// Networks in CIDR notation (<c>10.20.0.0/16</c>, <c>fd00::/8</c>), single addresses (<c>127.0.0.1</c>) and host
    /// names (<c>alertmanager.corp.example</c>: any address it resolves to) that receivers may be at although they are
    /// internal.
    /// </summary>
    public List<string> Allow { get; set; } = [];
}
