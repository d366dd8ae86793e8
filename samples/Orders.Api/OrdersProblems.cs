using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Samples.Orders;

/// <summary>The sample's error answers (<c>GET /problems</c> lists them).</summary>
public static class OrdersProblems
{
    public static readonly ProblemType NotFound = new("orders.not_found", 404, "No such order.");

    public static readonly ProblemType NotCancellable = new("orders.not_cancellable", 409, "The order can no longer be cancelled.");

    public static readonly ProblemType Invalid = new("orders.invalid", 400, "The order is not valid.");

    public static readonly ProblemType StoreFailed = new("orders.store_failed", 500, "The order store failed.");

    public static readonly ProblemType PaymentUnavailable = new("orders.payment_unavailable", 503, "The payment provider is unavailable.");

    public static readonly ProblemType SearchTimedOut = new("orders.search_timed_out", 504, "The search took too long.");

    /// <summary>The answer a simulated failure of <paramref name="status"/> gives.</summary>
    public static IResult Simulated(int status, string detail) => status switch
    {
        503 => PaymentUnavailable.Result(detail),
        504 => SearchTimedOut.Result(detail),
        _ => StoreFailed.Result(detail),
    };
}
