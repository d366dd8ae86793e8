using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SentryFlow.Samples.Orders.Ordering;

/// <summary>
/// The orders, in memory: a sample needs no database. It keeps the newest <see cref="OrdersOptions.MaxOrders"/> so a
/// traffic generator running for days cannot grow it without bound, and starts with a seeded catalogue of past orders.
/// </summary>
public sealed class OrderBook
{
    private static readonly string[] Customers = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka"];

    private static readonly (string Sku, decimal Price)[] Catalogue =
    [
        ("sku-keyboard", 49.90m), ("sku-mouse", 19.90m), ("sku-monitor", 229.00m), ("sku-cable", 7.50m),
        ("sku-dock", 139.00m), ("sku-headset", 89.00m), ("sku-webcam", 59.00m), ("sku-chair", 310.00m),
    ];

    private readonly ConcurrentDictionary<int, Order> _orders = new();
    private readonly ConcurrentQueue<int> _arrival = new();
    private readonly TimeProvider _time;
    private readonly OrdersOptions _options;
    private int _lastId;

    public OrderBook(IOptions<OrdersOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _lastId = FirstId - 1;
        var random = new Random(_options.Seed);
        var now = time.GetUtcNow();
        for (var i = 0; i < _options.InitialOrders; i++)
        {
            var lines = Enumerable.Range(0, random.Next(1, 4))
                .Select(_ => Catalogue[random.Next(Catalogue.Length)])
                .Select(item => new OrderLine(item.Sku, random.Next(1, 5), item.Price))
                .ToArray();
            Add(Customers[random.Next(Customers.Length)], lines, now - TimeSpan.FromMinutes(random.Next(1, 7 * 24 * 60)));
        }
    }

    /// <summary>The first order's id: ids are small numbers a person can type.</summary>
    public const int FirstId = 1000;

    /// <summary>The skus orders may hold.</summary>
    public static IReadOnlyList<string> Skus { get; } = [.. Catalogue.Select(c => c.Sku)];

    public static bool IsKnownSku(string sku) => Catalogue.Any(c => c.Sku == sku);

    public static decimal PriceOf(string sku) => Catalogue.First(c => c.Sku == sku).Price;

    /// <summary>The id the newest order has.</summary>
    public int LastId => Volatile.Read(ref _lastId);

    public Order Place(string customer, IReadOnlyList<OrderLine> lines) => Add(customer, lines, _time.GetUtcNow());

    public Order? Find(int id) => _orders.TryGetValue(id, out var order) ? Current(order) : null;

    /// <summary>The newest orders first, optionally of one customer or status.</summary>
    public IReadOnlyList<Order> List(string? customer, OrderStatus? status, int limit) =>
        [.. _orders.Values
            .Select(Current)
            .Where(o => customer is null || o.Customer == customer)
            .Where(o => status is null || o.Status == status)
            .OrderByDescending(o => o.Id)
            .Take(limit)];

    /// <summary>Orders whose customer or one of whose skus contains <paramref name="text"/>: a full scan, as a naive search is.</summary>
    public IReadOnlyList<Order> Search(string text, int limit) =>
        [.. _orders.Values
            .Select(Current)
            .Where(o => o.Customer.Contains(text, StringComparison.OrdinalIgnoreCase)
                || o.Lines.Any(l => l.Sku.Contains(text, StringComparison.OrdinalIgnoreCase)))
            .OrderByDescending(o => o.Id)
            .Take(limit)];

    private Order Current(Order order)
    {
        order.Advance(_time.GetUtcNow(), _options.PaidAfter, _options.ShippedAfter);
        return order;
    }

    private Order Add(string customer, IReadOnlyList<OrderLine> lines, DateTimeOffset placedAt)
    {
        var order = new Order(Interlocked.Increment(ref _lastId), customer, lines, placedAt);
        _orders[order.Id] = order;
        _arrival.Enqueue(order.Id);
        while (_arrival.Count > _options.MaxOrders && _arrival.TryDequeue(out var oldest))
        {
            _orders.TryRemove(oldest, out _);
        }

        return order;
    }
}
