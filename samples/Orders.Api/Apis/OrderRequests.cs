using System.ComponentModel.DataAnnotations;
using SentryFlow.Samples.Orders.Ordering;

namespace SentryFlow.Samples.Orders.Apis;

public sealed record OrderLineRequest(
    [property: Required, MaxLength(64)] string? Sku,
    [property: Range(1, 100)] int Quantity);

public sealed record CreateOrderRequest(
    [property: Required, MinLength(1), MaxLength(64)] string? Customer,
    [property: Required, MinLength(1), MaxLength(20)] IReadOnlyList<OrderLineRequest>? Lines);

public sealed record OrderLineResponse(string Sku, int Quantity, decimal UnitPrice);

public sealed record OrderResponse(
    int Id, string Customer, OrderStatus Status, IReadOnlyList<OrderLineResponse> Lines, decimal Total, DateTimeOffset PlacedAt, DateTimeOffset? CancelledAt)
{
    public static OrderResponse From(Order order) => new(
        order.Id, order.Customer, order.Status, [.. order.Lines.Select(l => new OrderLineResponse(l.Sku, l.Quantity, l.UnitPrice))],
        order.Total, order.PlacedAt, order.CancelledAt);
}
