namespace SentryFlow.Samples.TrafficGenerator.Traffic;

/// <summary>
/// One consumer of the orders API: its key's owner (what analytics shows as the consumer), how often it calls at the
/// day's peak, what it calls (weights of <see cref="RequestKind"/>), the permissions its key has, and whether it sends
/// bursts (<see cref="BurstSize"/> requests within <see cref="BurstSpread"/>, every <see cref="BurstEvery"/>).
/// </summary>
public sealed record ConsumerProfile(
    string Owner,
    double PeakRatePerSecond,
    IReadOnlyDictionary<RequestKind, double> Mix,
    IReadOnlyList<string> Permissions,
    TimeSpan? BurstEvery = null,
    int BurstSize = 0,
    TimeSpan? FirstBurstAfter = null)
{
    /// <summary>How long a burst lasts: its requests arrive spread over this.</summary>
    public static readonly TimeSpan BurstSpread = TimeSpan.FromSeconds(1);

    public bool Bursts => BurstEvery is { } every && every > TimeSpan.Zero && BurstSize > 0;

    public const string Read = "orders:read";

    public const string Write = "orders:write";

    /// <summary>
    /// The demo's consumers: a mobile app that bursts (push notifications), a web shop, a partner's sync job that
    /// bursts harder, an internal read-only dashboard, and a misbehaving integration (wrong ids, bad bodies, a stale key).
    /// </summary>
    public static IReadOnlyList<ConsumerProfile> Defaults { get; } =
    [
        new("acme-mobile", 3.0,
            Weights((RequestKind.ListOrders, 30), (RequestKind.GetOrder, 40), (RequestKind.SearchOrders, 8), (RequestKind.CreateOrder, 17), (RequestKind.CancelOrder, 5)),
            [Read, Write], BurstEvery: TimeSpan.FromSeconds(45), BurstSize: 45, FirstBurstAfter: TimeSpan.FromSeconds(20)),
        new("globex-web", 2.0,
            Weights((RequestKind.ListOrders, 25), (RequestKind.GetOrder, 25), (RequestKind.SearchOrders, 25), (RequestKind.CreateOrder, 20), (RequestKind.CancelOrder, 5)),
            [Read, Write]),
        new("initech-sync", 0.5,
            Weights((RequestKind.ListOrders, 70), (RequestKind.GetOrder, 30)),
            [Read], BurstEvery: TimeSpan.FromSeconds(70), BurstSize: 60, FirstBurstAfter: TimeSpan.FromSeconds(40)),
        new("hooli-dashboard", 1.0,
            Weights((RequestKind.ListOrders, 60), (RequestKind.SearchOrders, 40)),
            [Read]),
        new("umbrella-integration", 1.2,
            Weights((RequestKind.GetOrder, 20), (RequestKind.GetMissingOrder, 30), (RequestKind.CreateInvalidOrder, 15), (RequestKind.SearchWithoutQuery, 10),
                (RequestKind.CreateOrder, 10), (RequestKind.UnknownKey, 10), (RequestKind.NoKey, 5)),
            [Read]),
    ];

    private static Dictionary<RequestKind, double> Weights(params (RequestKind Kind, double Weight)[] weights) =>
        weights.ToDictionary(w => w.Kind, w => w.Weight);
}
