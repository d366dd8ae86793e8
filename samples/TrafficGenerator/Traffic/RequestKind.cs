namespace SentryFlow.Samples.TrafficGenerator.Traffic;

/// <summary>What a planned request does to the orders API, and so what it is expected to be answered.</summary>
public enum RequestKind
{
    ListOrders,
    GetOrder,
    CreateOrder,
    CancelOrder,
    SearchOrders,

    /// <summary>An order id that does not exist: 404.</summary>
    GetMissingOrder,

    /// <summary>A body with an unknown sku: 400.</summary>
    CreateInvalidOrder,

    /// <summary>A search without a query: 400.</summary>
    SearchWithoutQuery,

    /// <summary>A key nobody issued: 401.</summary>
    UnknownKey,

    /// <summary>No key at all: 401.</summary>
    NoKey,
}
