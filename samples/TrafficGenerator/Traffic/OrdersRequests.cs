using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;

namespace SentryFlow.Samples.TrafficGenerator.Traffic;

/// <summary>
/// Turns a planned request into the HTTP request a consumer of the orders API would send, with the consumer's key in
/// <c>X-Api-Key</c>. Orders a consumer created are remembered (the last few) so it can read and cancel its own;
/// otherwise it picks among the orders the API starts with.
/// </summary>
public sealed class OrdersRequests(int seed)
{
    public const string KeyHeader = "X-Api-Key";

    /// <summary>The ids of the orders the sample API starts with (its first 500).</summary>
    public const int FirstOrderId = 1000;

    public const int SeededOrders = 500;

    private const int RememberedPerConsumer = 50;

    private static readonly string[] Skus = ["sku-keyboard", "sku-mouse", "sku-monitor", "sku-cable", "sku-dock", "sku-headset", "sku-webcam", "sku-chair"];

    private static readonly string[] SearchTerms = ["acme", "globex", "monitor", "cable", "dock", "chair", "wayne", "sku-web", "hooli", "mouse"];

    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _created = new();

    public HttpRequestMessage Create(PlannedRequest planned, string? consumerKey)
    {
        var (method, path, body) = Describe(planned);
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var key = planned.Kind switch
        {
            RequestKind.NoKey => null,
            RequestKind.UnknownKey => "sf_live_" + RandomNumberGenerator.GetHexString(32, lowercase: true),
            _ => consumerKey,
        };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(KeyHeader, key);
        }

        return request;
    }

    /// <summary>Remembers an order <paramref name="consumer"/> created, for its later reads and cancellations.</summary>
    public void Created(string consumer, int orderId)
    {
        var orders = _created.GetOrAdd(consumer, _ => new ConcurrentQueue<int>());
        orders.Enqueue(orderId);
        while (orders.Count > RememberedPerConsumer && orders.TryDequeue(out _))
        {
        }
    }

    public (HttpMethod Method, string Path, object? Body) Describe(PlannedRequest planned)
    {
        lock (_lock)
        {
            return planned.Kind switch
            {
                RequestKind.ListOrders => (HttpMethod.Get, _random.Next(4) == 0 ? "/orders?status=placed&limit=50" : "/orders?limit=20", null),
                RequestKind.GetOrder => (HttpMethod.Get, $"/orders/{AnOrder(planned.Consumer, ownShare: 0.3)}", null),
                RequestKind.CreateOrder => (HttpMethod.Post, "/orders", NewOrder(planned.Consumer, Skus[_random.Next(Skus.Length)])),
                RequestKind.CancelOrder => (HttpMethod.Post, $"/orders/{AnOrder(planned.Consumer, ownShare: 0.9)}/cancel", null),
                RequestKind.SearchOrders => (HttpMethod.Get, $"/orders/search?q={SearchTerms[_random.Next(SearchTerms.Length)]}", null),
                RequestKind.GetMissingOrder => (HttpMethod.Get, $"/orders/{900_000 + _random.Next(100_000)}", null),
                RequestKind.CreateInvalidOrder => (HttpMethod.Post, "/orders", NewOrder(planned.Consumer, "sku-discontinued")),
                RequestKind.SearchWithoutQuery => (HttpMethod.Get, "/orders/search", null),
                _ => (HttpMethod.Get, "/orders?limit=20", null),
            };
        }
    }

    private object NewOrder(string consumer, string sku) => new
    {
        customer = consumer.Split('-')[0],
        lines = new[] { new { sku, quantity = 1 + _random.Next(3) } },
    };

    private int AnOrder(string consumer, double ownShare)
    {
        if (_random.NextDouble() < ownShare && _created.TryGetValue(consumer, out var own) && own.ToArray() is { Length: > 0 } ids)
        {
            return ids[_random.Next(ids.Length)];
        }

        return FirstOrderId + _random.Next(SeededOrders);
    }
}
