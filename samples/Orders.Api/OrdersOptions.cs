using System.ComponentModel.DataAnnotations;

namespace SentryFlow.Samples.Orders;

/// <summary>The sample's settings (section <c>Orders</c>): its data and how it misbehaves.</summary>
public sealed class OrdersOptions
{
    public const string Section = "Orders";

    /// <summary>Seeds the initial orders and every simulated delay and failure: the same seed, the same sequence.</summary>
    public int Seed { get; set; } = 20;

    [Range(0, 100_000)]
    public int InitialOrders { get; set; } = 500;

    /// <summary>The most orders kept (the oldest go first).</summary>
    [Range(1, 1_000_000)]
    public int MaxOrders { get; set; } = 20_000;

    public TimeSpan PaidAfter { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ShippedAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Multiplies every simulated delay: 1 is the realistic profile, 0 answers at once (tests), 2 a slower day.
    /// </summary>
    [Range(0.0, 100.0)]
    public double LatencyScale { get; set; } = 1.0;

    /// <summary>Multiplies every route's share of 5xx answers: 0 never fails.</summary>
    [Range(0.0, 100.0)]
    public double FailureScale { get; set; } = 1.0;

    /// <summary>
    /// How often an incident starts: for <see cref="IncidentLength"/> the create route fails much more (a payment
    /// provider down). Zero: no incidents.
    /// </summary>
    public TimeSpan IncidentEvery { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan IncidentLength { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>The share of creates that fail during an incident.</summary>
    [Range(0.0, 1.0)]
    public double IncidentFailureShare { get; set; } = 0.35;
}
