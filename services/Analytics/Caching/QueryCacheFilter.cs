using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SentryFlow.Analytics.Queries;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Analytics.Caching;

/// <summary>
/// Serves a roll-up query (summary, routes, time series) from <see cref="QueryCache"/> when it can, and keeps the
/// answer it computes otherwise; says which in <c>X-Cache</c> (<c>hit</c>, <c>miss</c> or <c>bypass</c>). Runs after
/// authorization, so a cached answer goes only to the project's viewers; invalid queries pass through to their 400.
/// </summary>
public sealed class QueryCacheFilter(QueryCache cache, TimeProvider time, IOptions<JsonOptions> json) : IEndpointFilter
{
    public const string Header = "X-Cache";

    /// <summary>The finest time-series bucket (5 minutes, also the default interval) widens every answer's minutes.</summary>
    private static readonly TimeSpan MinimumMargin = TimeSpan.FromMinutes(5);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var query = http.Request.Query;
        if (!cache.Enabled
            || !Guid.TryParse(http.Request.RouteValues["projectId"]?.ToString(), out var projectId)
            || !QueryRange.TryParse(query["from"], query["to"], time.GetUtcNow(), new ProblemErrors(), out var from, out var to))
        {
            return await next(context);
        }

        var margin = SeriesIntervals.ByName.TryGetValue(query["interval"].ToString(), out var step) && step > MinimumMargin ? step : MinimumMargin;
        var question = cache.Ask(projectId, http.Request.Path, query, from, to, margin);
        var lookup = await cache.GetAsync(question);
        if (lookup.Answer is { } answer)
        {
            http.Response.Headers[Header] = CacheLookup.Hit;
            return TypedResults.Bytes(answer, "application/json; charset=utf-8");
        }

        http.Response.Headers[Header] = lookup.Outcome == CacheLookup.Bypass ? CacheLookup.Bypass : CacheLookup.Miss;
        var computedAt = time.GetUtcNow();
        var result = await next(context);
        if (lookup.Storable && result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK } and IValueHttpResult { Value: { } value })
        {
            cache.Store(question, computedAt, JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), json.Value.SerializerOptions));
        }

        return result;
    }
}
