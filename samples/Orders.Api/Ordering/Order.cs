namespace SentryFlow.Samples.Orders.Ordering;

public enum OrderStatus
{
    Placed,
    Paid,
    Shipped,
    Cancelled,
}

public sealed record OrderLine(string Sku, int Quantity, decimal UnitPrice)
{
    public decimal Total => Quantity * UnitPrice;
}

/// <summary>An order a customer placed; it moves on by itself (paid, then shipped) and may be cancelled until shipped.</summary>
public sealed class Order(int id, string customer, IReadOnlyList<OrderLine> lines, DateTimeOffset placedAt)
{
    // Requests read and change an order concurrently.
    private readonly Lock _lock = new();

    public int Id { get; } = id;

    public string Customer { get; } = customer;

    public IReadOnlyList<OrderLine> Lines { get; } = lines;

    public DateTimeOffset PlacedAt { get; } = placedAt;

    public OrderStatus Status { get; private set; } = OrderStatus.Placed;

    public DateTimeOffset? CancelledAt { get; private set; }

    public decimal Total => Lines.Sum(l => l.Total);

    /// <summary>Cancels the order unless it has shipped or was cancelled before; says why not otherwise.</summary>
    public CancelOutcome Cancel(DateTimeOffset now)
    {
        lock (_lock)
        {
            return CancelLocked(now);
        }
    }

    private CancelOutcome CancelLocked(DateTimeOffset now)
    {
        switch (Status)
        {
            case OrderStatus.Shipped:
                return CancelOutcome.AlreadyShipped;
            case OrderStatus.Cancelled:
                return CancelOutcome.AlreadyCancelled;
            default:
                Status = OrderStatus.Cancelled;
                CancelledAt = now;
                return CancelOutcome.Cancelled;
        }
    }

    /// <summary>Moves the order along as time passes: paid a little after it was placed, shipped later.</summary>
    public void Advance(DateTimeOffset now, TimeSpan paidAfter, TimeSpan shippedAfter)
    {
        lock (_lock)
        {
            if (Status == OrderStatus.Cancelled)
            {
                return;
            }

            var age = now - PlacedAt;
            Status = age >= shippedAfter ? OrderStatus.Shipped : age >= paidAfter ? OrderStatus.Paid : OrderStatus.Placed;
        }
    }
}

public enum CancelOutcome
{
    Cancelled,
    AlreadyShipped,
    AlreadyCancelled,
}
