using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using NpgsqlTypes;
using SentryFlow.Analytics.Apis.Responses;
using SentryFlow.Analytics.Caching;
using SentryFlow.Analytics.Queries;
using SentryFlow.Analytics.Retention;
using SentryFlow.Analytics.Rollups;
using SentryFlow.ServiceDefaults.Authentication;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Analytics.Apis;

/// <summary>
/// What a project's viewers ask of its traffic: a summary, top routes and time series (from the minute roll-ups) and
/// the request log (from the raw records). Every query is scoped to the route's project.
/// </summary>
public static class AnalyticsApi
{
    /// <summary>The most points a time series may have (e.g. one day at 1m).</summary>
    public const int MaxPoints = 1440;

    private const int MaxTopRoutes = 100;

    private const int MaxPageSize = 500;

    private const int MaxSearchLength = 200;

    private const int MaxMetricsLength = 200;

    private static readonly Dictionary<string, Func<RollupAggregate, double, double?>> Metrics = new(StringComparer.Ordinal)
    {
        ["requests"] = (a, _) => a.Count,
        ["requestsPerMinute"] = (a, minutes) => a.Count / minutes,
        ["errors"] = (a, _) => a.Errors,
        ["errors4xx"] = (a, _) => a.Errors4xx,
        ["errors5xx"] = (a, _) => a.Errors5xx,
        ["errorRate"] = (a, _) => a.ErrorRate,
        ["avg"] = (a, _) => a.Count == 0 ? null : a.DurationSumMs / a.Count,
        ["p50"] = (a, _) => a.Percentile(0.50),
        ["p95"] = (a, _) => a.Percentile(0.95),
        ["p99"] = (a, _) => a.Percentile(0.99),
        ["bytesIn"] = (a, _) => a.BytesIn,
        ["bytesOut"] = (a, _) => a.BytesOut,
    };

    private static readonly string[] TopRouteOrders = ["traffic", "errorRate", "p95"];

    private static readonly DateTime BinOrigin = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var analytics = app.MapGroup("/api/projects/{projectId:guid}/analytics")
            .WithTags("Analytics")
            .RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        analytics.MapGet("/summary", SummaryAsync).AddEndpointFilter<QueryCacheFilter>();
        analytics.MapGet("/routes", TopRoutesAsync).AddEndpointFilter<QueryCacheFilter>();
        analytics.MapGet("/timeseries", TimeSeriesAsync).AddEndpointFilter<QueryCacheFilter>();
        analytics.MapGet("/requests", RequestLogAsync);
        analytics.MapGet("/requests/{id:guid}", RequestRecordAsync);
        return app;
    }

    private static async Task<IResult> SummaryAsync(
        Guid projectId, RollupQueries queries, ProjectSettingsStore settings, TimeProvider time, CancellationToken cancellationToken, string? from = null, string? to = null)
    {
        var errors = new ProblemErrors();
        if (!QueryRange.TryParse(from, to, time.GetUtcNow(), errors, out var start, out var end))
        {
            return errors.ToResult()!;
        }

        var groups = await queries.TotalsAsync<int>(projectId, start, end, "0", cancellationToken);
        var total = groups.GetValueOrDefault(0) ?? new RollupAggregate();
        var (consumers, routes) = await queries.DistinctAsync(projectId, start, end, cancellationToken);
        var threshold = (await settings.GetAsync(projectId, cancellationToken)).ApdexThresholdMs;
        return TypedResults.Ok(new SummaryResponse(
            start, end, total.Count, total.Count / (end - start).TotalMinutes, total.Errors4xx, total.Errors5xx, total.ErrorRate,
            total.Count == 0 ? null : total.DurationSumMs / total.Count,
            total.Percentile(0.50), total.Percentile(0.95), total.Percentile(0.99), threshold, LatencyHistogram.Apdex(total.Histogram, threshold),
            total.BytesIn, total.BytesOut, consumers, routes));
    }

    private static async Task<IResult> TopRoutesAsync(
        Guid projectId, RollupQueries queries, TimeProvider time, CancellationToken cancellationToken,
        string? from = null, string? to = null, string by = "traffic", int limit = 10)
    {
        var errors = new ProblemErrors();
        QueryRange.TryParse(from, to, time.GetUtcNow(), errors, out var start, out var end);
        if (!TopRouteOrders.Contains(by, StringComparer.Ordinal))
        {
            errors.Add(CommonProblems.Invalid, "by", $"One of {string.Join(", ", TopRouteOrders)}.");
        }

        if (limit is < 1 or > MaxTopRoutes)
        {
            errors.Add(CommonProblems.Invalid, "limit", $"Between 1 and {MaxTopRoutes}.");
        }

        if (errors.ToResult() is { } invalid)
        {
            return invalid;
        }

        var groups = await queries.AggregateAsync<string>(projectId, start, end, "\"Route\"", cancellationToken);
        var routes = groups.Select(g => new RouteStats(
            g.Key.Length == 0 ? null : g.Key, g.Value.Count, g.Value.Errors, g.Value.ErrorRate,
            g.Value.Percentile(0.50), g.Value.Percentile(0.95), g.Value.Percentile(0.99), g.Value.BytesIn, g.Value.BytesOut));
        var ordered = by switch
        {
            "errorRate" => routes.OrderByDescending(r => r.ErrorRate).ThenByDescending(r => r.Requests),
            "p95" => routes.OrderByDescending(r => r.P95 ?? 0),
            _ => routes.OrderByDescending(r => r.Requests),
        };
        return TypedResults.Ok(new TopRoutesResponse(start, end, by, [.. ordered.ThenBy(r => r.Route, StringComparer.Ordinal).Take(limit)]));
    }

    private static async Task<IResult> TimeSeriesAsync(
        Guid projectId, RollupQueries queries, TimeProvider time, CancellationToken cancellationToken,
        string? from = null, string? to = null, string interval = "5m", string metrics = "requests,errorRate,p95")
    {
        var errors = new ProblemErrors();
        var rangeOk = QueryRange.TryParse(from, to, time.GetUtcNow(), errors, out var start, out var end);
        var names = metrics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknownMetric = names.FirstOrDefault(n => !Metrics.ContainsKey(n));
        if (metrics.Length > MaxMetricsLength)
        {
            errors.Add(CommonProblems.Invalid, "metrics", $"At most {MaxMetricsLength} characters: one or more of {string.Join(", ", Metrics.Keys)}.");
        }
        else if (names.Length == 0 || unknownMetric is not null)
        {
            errors.Add(CommonProblems.Invalid, "metrics", $"Unknown metric '{unknownMetric}'; one or more of {string.Join(", ", Metrics.Keys)}.");
        }

        if (!SeriesIntervals.ByName.TryGetValue(interval, out var step))
        {
            errors.Add(CommonProblems.Invalid, "interval", $"One of {string.Join(", ", SeriesIntervals.ByName.Keys)}.");
        }
        else if (rangeOk)
        {
            // Intervals are aligned to multiples of their length since 2000-01-01 UTC (days to UTC midnight).
            start = Align(start, step);
            end = Align(end.AddTicks(step.Ticks - 1), step);
            if ((end - start) / step > MaxPoints)
            {
                errors.Add(AnalyticsProblems.TooManyPoints, "interval", $"Too fine for the range: at most {MaxPoints} points; choose a longer interval or a shorter range.");
            }
        }

        if (errors.ToResult() is { } invalid)
        {
            return invalid;
        }

        var bin = new NpgsqlParameter<TimeSpan> { TypedValue = step, NpgsqlDbType = NpgsqlDbType.Interval };
        var groups = await queries.TotalsAsync<DateTime>(
            projectId, start, end, "date_bin($4, \"Minute\", TIMESTAMPTZ '2000-01-01 00:00:00+00')", cancellationToken, bin, CoarsestFor(step));
        var empty = new RollupAggregate();
        var points = new List<TimeSeriesPoint>();
        for (var t = start; t < end; t += step)
        {
            var aggregate = groups.GetValueOrDefault(t.UtcDateTime) ?? empty;
            points.Add(new TimeSeriesPoint(t, names.ToDictionary(n => n, n => Metrics[n](aggregate, step.TotalMinutes))));
        }

        return TypedResults.Ok(new TimeSeriesResponse(start, end, interval, names, points));
    }

    private static async Task<IResult> RequestLogAsync(
        Guid projectId, RequestLogQueries queries, ProjectSettingsStore settings, TimeProvider time, CancellationToken cancellationToken,
        string? from = null, string? to = null, string? status = null, string? method = null, string? route = null,
        string? consumer = null, string? clientIp = null, string? q = null, string? cursor = null, int limit = 50)
    {
        var errors = new ProblemErrors();
        QueryRange.TryParse(from, to, time.GetUtcNow(), errors, out var start, out var end);
        if (!StatusParameter.TryParse(status, out var exactStatus, out var statusClass))
        {
            errors.Add(CommonProblems.Invalid, "status", StatusParameter.Expected);
        }

        RequestLogCursor? before = null;
        if (cursor is not null && (cursor.Length > RequestLogCursor.MaxLength || !RequestLogCursor.TryDecode(cursor, out before)))
        {
            errors.Add(AnalyticsProblems.CursorInvalid, "cursor", "Not a cursor this API returned.");
        }

        if (limit is < 1 or > MaxPageSize)
        {
            errors.Add(CommonProblems.Invalid, "limit", $"Between 1 and {MaxPageSize}.");
        }

        if (clientIp is not null && !IPAddress.TryParse(clientIp, out _))
        {
            errors.Add(CommonProblems.Invalid, "clientIp", "An IPv4 or IPv6 address.");
        }

        FilterText.Check(errors, method, route, consumer);
        var search = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (search is { Length: > MaxSearchLength })
        {
            errors.Add(CommonProblems.Invalid, "q", $"At most {MaxSearchLength} characters.");
        }

        if (errors.ToResult() is { } invalid)
        {
            return invalid;
        }

        // Records older than the project's raw retention are not shown, even before their partition is dropped.
        var horizon = await settings.RawHorizonAsync(projectId, cancellationToken);
        if (start < horizon)
        {
            start = horizon;
        }

        if (start >= end)
        {
            return TypedResults.Ok(new RequestLogPage([], null));
        }

        var filter = new RequestLogFilter(
            start, end, exactStatus, statusClass, method?.ToUpperInvariant(), route, consumer, clientIp, search, before, limit);
        var (entries, next) = await queries.PageAsync(projectId, filter, cancellationToken);
        return TypedResults.Ok(new RequestLogPage(entries, next?.Encode()));
    }

    private static async Task<Results<Ok<RequestRecordDetail>, ProblemHttpResult>> RequestRecordAsync(
        Guid projectId, Guid id, RequestLogQueries queries, ProjectSettingsStore settings, CancellationToken cancellationToken)
    {
        var record = await queries.GetAsync(projectId, id, await settings.RawHorizonAsync(projectId, cancellationToken), cancellationToken);
        return record is null ? AnalyticsProblems.RecordNotFound.Result("No such request record in this project (or it is past the raw retention).") : TypedResults.Ok(record);
    }

    /// <summary>The coarsest roll-ups whose rows fall wholly into one point of a series at <paramref name="step"/>.</summary>
    private static RollupLevel CoarsestFor(TimeSpan step) =>
        step >= TimeSpan.FromDays(1) ? RollupLevel.Day : step >= TimeSpan.FromHours(1) ? RollupLevel.Hour : RollupLevel.Minute;

    private static DateTimeOffset Align(DateTimeOffset time, TimeSpan step)
    {
        var sinceOrigin = time.UtcTicks - BinOrigin.Ticks;
        return new DateTimeOffset(BinOrigin.Ticks + (sinceOrigin - (sinceOrigin % step.Ticks)), TimeSpan.Zero);
    }
}
