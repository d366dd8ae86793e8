using SentryFlow.Analytics.Queries;
using SentryFlow.Contracts.Analytics;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Analytics.RuleQueries;

/// <summary>Checks a <see cref="RuleQueryRequest"/> and resolves its window to whole minutes, naming every bad field.</summary>
public static class RuleQueryWindow
{
    /// <summary>The longest window a rule may watch (the SLO rules' 30 days, with room).</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(35);

    public static bool TryResolve(
        RuleQueryRequest request, DateTimeOffset now, ProblemErrors errors, out DateTimeOffset from, out DateTimeOffset to)
    {
        from = to = default;
        if (request.Metric is null || !RuleMetrics.All.Contains(request.Metric, StringComparer.Ordinal))
        {
            // The value is not echoed: it may be long.
            errors.Add(AnalyticsProblems.RuleQueryInvalid, "metric", $"One of {string.Join(", ", RuleMetrics.All)}.");
        }
        else if (RuleMetrics.NeedsQuantile(request.Metric) && request.Quantile is not (> 0 and <= 1))
        {
            errors.Add(AnalyticsProblems.RuleQueryInvalid, "quantile", "Required for this metric, in (0, 1].");
        }
        else if (!RuleMetrics.IsRequestMetric(request.Metric) && (request.GroupBy is not null || HasFilters(request.Filters)))
        {
            errors.Add(AnalyticsProblems.RuleQueryInvalid, "groupBy", "Only request metrics can be filtered or grouped.");
        }

        if (request.Metric is not null && RuleMetrics.NeedsThreshold(request.Metric))
        {
            if (request.ThresholdMs is not { } threshold || !double.IsFinite(threshold) || threshold <= 0)
            {
                errors.Add(AnalyticsProblems.RuleQueryInvalid, "thresholdMs", "Required for this metric: the duration in milliseconds from which a request is slow, more than 0.");
            }
        }
        else if (request.ThresholdMs is not null)
        {
            errors.Add(AnalyticsProblems.RuleQueryInvalid, "thresholdMs", $"Only for {RuleMetrics.SlowCount}.");
        }

        if (request.GroupBy is not null && !RuleMetrics.GroupBys.Contains(request.GroupBy, StringComparer.Ordinal))
        {
            errors.Add(AnalyticsProblems.RuleQueryInvalid, "groupBy", $"One of {string.Join(", ", RuleMetrics.GroupBys)}, or null.");
        }

        if (request.Filters is { } filters)
        {
            FilterText.Check(errors, filters.Method, filters.Route, filters.Consumer, "filters.");
        }

        if (request.Filters?.StatusClass is { } statusClass && statusClass is < 1 or > 5)
        {
            errors.Add(AnalyticsProblems.RuleQueryInvalid, "filters.statusClass", "Between 1 and 5.");
        }

        if (request.WindowSeconds is { } seconds)
        {
            if (request.From is not null || request.To is not null)
            {
                errors.Add(AnalyticsProblems.RuleQueryInvalid, "windowSeconds", "Give either windowSeconds or from and to, not both.");
            }
            else if (seconds <= 0 || TimeSpan.FromSeconds(seconds) > MaxWindow)
            {
                errors.Add(AnalyticsProblems.RuleQueryInvalid, "windowSeconds", $"Between 1 and {(int)MaxWindow.TotalSeconds}.");
            }
            else
            {
                to = QueryRange.Ceiling(now);
                from = QueryRange.Floor(now.AddSeconds(-seconds));
            }
        }
        else if (request.From is { } start && request.To is { } end)
        {
            // Both checked (not &&), so that both are named when both are out of bounds.
            if (QueryRange.IsInBounds(start, "from", errors) & QueryRange.IsInBounds(end, "to", errors))
            {
                from = QueryRange.Floor(start);
                to = QueryRange.Ceiling(end);
                QueryRange.TryCheck(from, to, MaxWindow, errors);
            }
        }
        else
        {
            errors.Add(AnalyticsProblems.RuleQueryInvalid, "windowSeconds", "Required (or both from and to).");
        }

        return errors.Count == 0;
    }

    private static bool HasFilters(RuleQueryFilters? filters) =>
        filters is not null && (filters.Route is not null || filters.Method is not null || filters.Consumer is not null || filters.StatusClass is not null);
}
