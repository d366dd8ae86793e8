using Microsoft.AspNetCore.Http.HttpResults;
using SentryFlow.Samples.Orders.Ordering;
using SentryFlow.Samples.Orders.Simulation;

namespace SentryFlow.Samples.Orders.Apis;

/// <summary>The sample's API: list, read, place, cancel and search orders, each route behaving as its profile says.</summary>
public static class OrdersApi
{
    public const int MaxPageSize = 100;

    public const int MaxSearchLength = 64;

    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/orders").WithTags("Orders");
        orders.MapGet("/", List).Simulating(RouteProfile.List).WithName("ListOrders");
        orders.MapGet("/search", Search).Simulating(RouteProfile.Search).WithName("SearchOrders");
        orders.MapGet("/{id:int}", Get).Simulating(RouteProfile.Get).WithName("GetOrder");
        orders.MapPost("/", Create).Simulating(RouteProfile.Create).WithName("CreateOrder");
        orders.MapPost("/{id:int}/cancel", Cancel).Simulating(RouteProfile.Cancel).WithName("CancelOrder");
        return orders;
    }

    private static Results<Ok<IReadOnlyList<OrderResponse>>, ValidationProblem> List(
        OrderBook book, string? customer = null, OrderStatus? status = null, int limit = 20)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            return OrdersProblems.Invalid.Validation("limit", $"Between 1 and {MaxPageSize}.");
        }

        return TypedResults.Ok<IReadOnlyList<OrderResponse>>([.. book.List(customer, status, limit).Select(OrderResponse.From)]);
    }

    private static Results<Ok<IReadOnlyList<OrderResponse>>, ValidationProblem> Search(OrderBook book, string? q = null, int limit = 20)
    {
        if (string.IsNullOrWhiteSpace(q) || q.Length > MaxSearchLength)
        {
            return OrdersProblems.Invalid.Validation("q", $"Required, at most {MaxSearchLength} characters.");
        }

        if (limit is < 1 or > MaxPageSize)
        {
            return OrdersProblems.Invalid.Validation("limit", $"Between 1 and {MaxPageSize}.");
        }

        return TypedResults.Ok<IReadOnlyList<OrderResponse>>([.. book.Search(q, limit).Select(OrderResponse.From)]);
    }

    private static Results<Ok<OrderResponse>, ProblemHttpResult> Get(int id, OrderBook book) =>
        book.Find(id) is { } order
            ? TypedResults.Ok(OrderResponse.From(order))
            : OrdersProblems.NotFound.Result($"There is no order {id}.");

    private static Results<Created<OrderResponse>, ValidationProblem> Create(CreateOrderRequest request, OrderBook book)
    {
        var lines = request.Lines!;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i]?.Sku is not { } sku || !OrderBook.IsKnownSku(sku))
            {
                return OrdersProblems.Invalid.Validation($"lines[{i}].sku", $"One of {string.Join(", ", OrderBook.Skus)}.");
            }
        }

        var order = book.Place(request.Customer!, [.. lines.Select(l => new OrderLine(l!.Sku!, l.Quantity, OrderBook.PriceOf(l.Sku!)))]);
        return TypedResults.Created($"/orders/{order.Id}", OrderResponse.From(order));
    }

    private static Results<Ok<OrderResponse>, ProblemHttpResult> Cancel(int id, OrderBook book, TimeProvider time)
    {
        if (book.Find(id) is not { } order)
        {
            return OrdersProblems.NotFound.Result($"There is no order {id}.");
        }

        return order.Cancel(time.GetUtcNow()) switch
        {
            CancelOutcome.Cancelled => TypedResults.Ok(OrderResponse.From(order)),
            CancelOutcome.AlreadyShipped => OrdersProblems.NotCancellable.Result($"Order {id} has shipped."),
            _ => OrdersProblems.NotCancellable.Result($"Order {id} was already cancelled."),
        };
    }
}
