using SentryFlow.Analytics.Apis;
using SentryFlow.Contracts.Analytics;

namespace SentryFlow.Analytics.RuleQueries;

/// <summary>Checks a <see cref="RuleQueryRequest"/> and resolves its window to whole minutes, naming every bad field.</summary>
public static class RuleQueryWindow
{
    /// <summary>The longest window a rule may watch (the SLO rules' 30 days, with room).</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(35);

    public static bool TryResolve(
        RuleQueryRequest request, DateTimeOffset now, Dictionary<string, string[]> errors, out DateTimeOffset from, out DateTimeOffset to)
    {
        from = to = default;
        if (request.Metric is null || !RuleMetrics.All.Contains(request.Metric, StringComparer.Ordinal))
        {
            errors["metric"] = [$"One of {string.Join(", ", RuleMetrics.All)}."];
        }
        else if (RuleMetrics.NeedsQuantile(request.Metric) && request.Quantile is not (> 0 and <= 1))
        {
            errors["quantile"] = ["Required for this metric, in (0, 1]."];
        }
        else if (!RuleMetrics.IsRequestMetric(request.Metric) && (request.GroupBy is not null || HasFilters(request.Filters)))
        {
            errors["groupBy"] = ["Only request metrics can be filtered or grouped."];
        }

        if (request.Metric is not null && RuleMetrics.NeedsThreshold(request.Metric))
        {
            if (request.ThresholdMs is not { } threshold || !double.IsFinite(threshold) || threshold <= 0)
            {
                errors["thresholdMs"] = ["Required for this metric: the duration in milliseconds from which a request is slow, more than 0."];
            }
        }
        else if (request.ThresholdMs is not null)
        {
            errors["thresholdMs"] = [$"Only for {RuleMetrics.SlowCount}."];
        }

        if (request.GroupBy is not null && !RuleMetrics.GroupBys.Contains(request.GroupBy, StringComparer.Ordinal))
        {
            errors["groupBy"] = [$"One of {string.Join(", ", RuleMetrics.GroupBys)}, or null."];
        }

        if (request.Filters?.StatusClass is { } statusClass && statusClass is < 1 or > 5)
        {
            errors["filters.statusClass"] = ["Between 1 and 5."];
        }

        if (request.WindowSeconds is { } seconds)
        {
            if (request.From is not null || request.To is not null)
            {
                errors["windowSeconds"] = ["Give either windowSeconds or from and to, not both."];
            }
            else if (seconds <= 0 || TimeSpan.FromSeconds(seconds) > MaxWindow)
            {
                errors["windowSeconds"] = [$"Between 1 and {(int)MaxWindow.TotalSeconds}."];
            }
            else
            {
                to = QueryRange.Ceiling(now);
                from = QueryRange.Floor(now.AddSeconds(-seconds));
            }
        }
        else if (request.From is { } start && request.To is { } end)
        {
            from = QueryRange.Floor(start);
            to = QueryRange.Ceiling(end);
            if (from >= to)
            {
                errors["from"] = ["Must be before 'to'."];
            }
            else if (to - from > MaxWindow)
            {
                errors["from"] = [$"The range may cover at most {MaxWindow.TotalDays} days."];
            }
        }
        else
        {
            errors["windowSeconds"] = ["Required (or both from and to)."];
        }

        return errors.Count == 0;
    }

    private static bool HasFilters(RuleQueryFilters? filters) =>
        filters is not null && (filters.Route is not null || filters.Method is not null || filters.Consumer is not null || filters.StatusClass is not null);
}
