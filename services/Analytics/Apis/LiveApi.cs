using System.Net;
using SentryFlow.Analytics.Live;
using SentryFlow.ServiceDefaults.Authentication;

namespace SentryFlow.Analytics.Apis;

/// <summary>
/// Server-Sent Events for a project's viewers: the live view (per-second requests, errors and p95) and the live tail
/// of newly stored records. Both are fed through Redis, so any instance serves any client.
/// </summary>
public static class LiveApi
{
    public static IEndpointRouteBuilder MapAnalyticsLiveApi(this IEndpointRouteBuilder app)
    {
        var live = app.MapGroup("/api/projects/{projectId:guid}/analytics")
            .WithTags("Analytics")
            .RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        live.MapGet("/live", LiveAsync).Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        live.MapGet("/requests/tail", TailAsync).Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return app;
    }

    private static async Task<IResult> LiveAsync(Guid projectId, HttpContext context, LiveView view, LiveSubscriptions subscriptions)
    {
        if (!subscriptions.Available)
        {
            return Unavailable();
        }

        return await StreamAsync(context.RequestAborted, token => view.StreamAsync(projectId, context, token));
    }

    private static async Task<IResult> TailAsync(
        Guid projectId, HttpContext context, LiveTail tail, LiveSubscriptions subscriptions,
        string? status = null, string? method = null, string? route = null, string? consumer = null, string? clientIp = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (!StatusParameter.TryParse(status, out var exactStatus, out var statusClass))
        {
            errors["status"] = [StatusParameter.Expected];
        }

        if (clientIp is not null && !IPAddress.TryParse(clientIp, out _))
        {
            errors["clientIp"] = ["An IPv4 or IPv6 address."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!subscriptions.Available)
        {
            return Unavailable();
        }

        var filter = new TailFilter(exactStatus, statusClass, method?.ToUpperInvariant(), route, consumer, clientIp);
        return await StreamAsync(context.RequestAborted, token => tail.StreamAsync(projectId, filter, context, token));
    }

    /// <summary>Runs a stream until the client goes away, which is how every stream ends.</summary>
    private static async Task<IResult> StreamAsync(CancellationToken aborted, Func<CancellationToken, Task> stream)
    {
        try
        {
            await stream(aborted);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException && aborted.IsCancellationRequested)
        {
            // the client closed the stream
        }

        return Results.Empty;
    }

    private static IResult Unavailable() =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, detail: "The live feed (Redis) is unavailable; try again shortly.");
}
