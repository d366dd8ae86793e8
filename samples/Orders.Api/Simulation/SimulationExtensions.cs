using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Samples.Orders.Simulation;

public static class SimulationExtensions
{
    /// <summary>
    /// Makes the endpoint behave like <paramref name="route"/>: it waits the drawn delay and, when the draw says so,
    /// answers the route's 5xx instead of running the handler (as a dependency that timed out would).
    /// </summary>
    public static RouteHandlerBuilder Simulating(this RouteHandlerBuilder endpoint, RouteProfile route) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var services = context.HttpContext.RequestServices;
            var outcome = services.GetRequiredService<Simulator>().Next(route);
            if (outcome.Delay > TimeSpan.Zero)
            {
                await Task.Delay(outcome.Delay, services.GetRequiredService<TimeProvider>(), context.HttpContext.RequestAborted);
            }

            return outcome.FailureStatus is { } status
                ? OrdersProblems.Simulated(status, route.FailureDetail)
                : await next(context);
        });
}
