using System.Globalization;
using System.Net;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using SentryFlow.Analytics.Live;
using SentryFlow.Analytics.Queries;
using SentryFlow.ServiceDefaults.Authentication;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Analytics.Apis;

/// <summary>
/// Server-Sent Events for a project's viewers: the live view (per-second requests, errors and p95) and the live tail
/// of newly stored records. Both are fed through Redis, so any instance serves any client. Each user and each project
/// may hold a limited number of streams (<see cref="LiveStreamSlots"/>); beyond, a 429 says when to retry. A stream
/// ends within seconds of its caller losing access to the project (<see cref="StreamAccessWatch"/>).
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

    private static Task<IResult> LiveAsync(
        Guid projectId, HttpContext context, LiveView view, LiveSubscriptions subscriptions, LiveStreamSlots slots, IOptions<LiveOptions> options) =>
        StreamAsync(projectId, context, subscriptions, slots, options.Value, token => view.StreamAsync(projectId, context, token));

    private static async Task<IResult> TailAsync(
        Guid projectId, HttpContext context, LiveTail tail, LiveSubscriptions subscriptions, LiveStreamSlots slots, IOptions<LiveOptions> options,
        string? status = null, string? method = null, string? route = null, string? consumer = null, string? clientIp = null)
    {
        var errors = new ProblemErrors();
        if (!StatusParameter.TryParse(status, out var exactStatus, out var statusClass))
        {
            errors.Add(CommonProblems.Invalid, "status", StatusParameter.Expected);
        }

        if (clientIp is not null && !IPAddress.TryParse(clientIp, out _))
        {
            errors.Add(CommonProblems.Invalid, "clientIp", "An IPv4 or IPv6 address.");
        }

        FilterText.Check(errors, method, route, consumer);
        if (errors.ToResult() is { } invalid)
        {
            return invalid;
        }

        var filter = new TailFilter(exactStatus, statusClass, method?.ToUpperInvariant(), route, consumer, clientIp);
        return await StreamAsync(projectId, context, subscriptions, slots, options.Value, token => tail.StreamAsync(projectId, filter, context, token));
    }

    /// <summary>Runs a stream in a slot of the caller's and the project's until the client goes away or its access ends.</summary>
    private static async Task<IResult> StreamAsync(
        Guid projectId, HttpContext context, LiveSubscriptions subscriptions, LiveStreamSlots slots, LiveOptions options, Func<CancellationToken, Task> stream)
    {
        if (!subscriptions.Available)
        {
            return AnalyticsProblems.LiveUnavailable.Result("The live feed (Redis) is unavailable; try again shortly.");
        }

        // Every authenticated caller has a subject: a user's id, or a machine client's.
        var user = context.User.FindFirstValue("sub") ?? "";
        using var slot = slots.TryAcquire(user, projectId, out var refusedBy);
        if (slot is null)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(options.StreamRetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return AnalyticsProblems.TooManyStreams.Result(refusedBy == LiveStreamCap.User
                ? $"You have {options.MaxStreamsPerUser} live streams open, the most one user may; close one first."
                : $"The project has {options.MaxStreamsPerProject} live streams open, the most one project may; close one first.");
        }

        // The stream ends when the client leaves or when the caller's access ends (a removed member, a revoked token).
        await using var access = StreamAccessWatch.Start(context, SentryFlowPolicies.ProjectViewer);
        try
        {
            await stream(access.Ended);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException && access.Ended.IsCancellationRequested)
        {
            // the client closed the stream, or its access ended
        }

        return Results.Empty;
    }
}
