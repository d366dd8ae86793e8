namespace SentryFlow.Samples.Orders.Simulation;

/// <summary>
/// How one route behaves: a log-normal latency (<see cref="MedianMs"/>, spread <see cref="Sigma"/>), a share of
/// requests that are slow now and then (a lock, a cold cache: <see cref="SlowMinMs"/> to <see cref="SlowMaxMs"/>
/// more), and a share that fail with <see cref="FailureStatus"/>.
/// </summary>
public sealed record RouteProfile(
    string Name,
    double MedianMs,
    double Sigma,
    double SlowShare,
    double SlowMinMs,
    double SlowMaxMs,
    double FailureShare,
    int FailureStatus,
    string FailureDetail,
    bool HasIncidents = false)
{
    public static readonly RouteProfile List = new("list", 28, 0.45, 0.02, 300, 900, 0.005, 500, "The order list could not be read.");

    public static readonly RouteProfile Get = new("get", 12, 0.35, 0.01, 200, 600, 0.003, 500, "The order could not be read.");

    /// <summary>Creating calls a payment provider: slower, and the route that fails most (more still during an incident).</summary>
    public static readonly RouteProfile Create = new("create", 75, 0.5, 0.04, 700, 2500, 0.03, 503, "The payment provider did not answer.", HasIncidents: true);

    public static readonly RouteProfile Cancel = new("cancel", 35, 0.4, 0.02, 300, 1200, 0.01, 500, "The cancellation could not be saved.");

    /// <summary>A naive full-text search: the slow route (its p95 is over a second), timing out now and then.</summary>
    public static readonly RouteProfile Search = new("search", 190, 0.65, 0.09, 1200, 3500, 0.02, 504, "The search timed out.");
}
