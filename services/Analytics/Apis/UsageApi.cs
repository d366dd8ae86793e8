using SentryFlow.Analytics.Apis.Responses;
using SentryFlow.Analytics.Queries;
using SentryFlow.ServiceDefaults.Authentication;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Analytics.Apis;

/// <summary>Usage per consumer (from the roll-ups), events per type and processing lag, for a project's viewers.</summary>
public static class UsageApi
{
    private const int MaxConsumers = 1000;

    public static IEndpointRouteBuilder MapAnalyticsUsageApi(this IEndpointRouteBuilder app)
    {
        var usage = app.MapGroup("/api/projects/{projectId:guid}/analytics")
            .WithTags("Analytics")
            .RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        usage.MapGet("/consumers", ConsumersAsync);
        usage.MapGet("/events", EventsAsync);
        usage.MapGet("/lag", LagAsync);
        return app;
    }

    private static async Task<IResult> ConsumersAsync(
        Guid projectId, RollupQueries queries, TimeProvider time, CancellationToken cancellationToken,
        string? from = null, string? to = null, int limit = 100)
    {
        var errors = new ProblemErrors();
        QueryRange.TryParse(from, to, time.GetUtcNow(), errors, out var start, out var end);
        if (limit is < 1 or > MaxConsumers)
        {
            errors.Add(CommonProblems.Invalid, "limit", $"Between 1 and {MaxConsumers}.");
        }

        if (errors.ToResult() is { } invalid)
        {
            return invalid;
        }

        var groups = await queries.ConsumersAsync(projectId, start, end, cancellationToken);
        var consumers = groups
            .Select(g => new ConsumerUsage(g.Key.Length == 0 ? null : g.Key, g.Value.Count, g.Value.Errors4xx, g.Value.Errors5xx, g.Value.BytesIn, g.Value.BytesOut))
            .OrderByDescending(c => c.Requests).ThenBy(c => c.Consumer, StringComparer.Ordinal)
            .Take(limit);
        return TypedResults.Ok(new ConsumerUsageResponse(start, end, [.. consumers]));
    }

    private static async Task<IResult> EventsAsync(
        Guid projectId, UsageQueries queries, TimeProvider time, CancellationToken cancellationToken, string? from = null, string? to = null)
    {
        var errors = new ProblemErrors();
        if (!QueryRange.TryParse(from, to, time.GetUtcNow(), errors, out var start, out var end))
        {
            return errors.ToResult()!;
        }

        return TypedResults.Ok(new EventCountsResponse(start, end, await queries.EventsByTypeAsync(projectId, start, end, cancellationToken)));
    }

    private static async Task<IResult> LagAsync(
        Guid projectId, UsageQueries queries, TimeProvider time, CancellationToken cancellationToken, string? from = null, string? to = null)
    {
        var errors = new ProblemErrors();
        if (!QueryRange.TryParse(from, to, time.GetUtcNow(), errors, out var start, out var end))
        {
            return errors.ToResult()!;
        }

        var lag = await queries.LagAsync(projectId, start, end, cancellationToken);
        return TypedResults.Ok(new LagResponse(start, end, lag.Count, lag.Percentile(0.50), lag.Percentile(0.95), lag.Percentile(0.99)));
    }
}
