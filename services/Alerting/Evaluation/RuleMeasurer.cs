using SentryFlow.Alerting.Rules;
using SentryFlow.Contracts.Analytics;

namespace SentryFlow.Alerting.Evaluation;

/// <summary>Asks analytics for a rule's value(s) and says, per group, whether the rule's condition holds.</summary>
public sealed class RuleMeasurer(AnalyticsRuleQueries analytics)
{
    /// <summary>The Google SRE workbook's pairs for paging: 2 % of a 30-day budget in 1 h, 5 % in 6 h.</summary>
    public static readonly IReadOnlyList<BurnRateWindow> PageWindows = [new(3600, 300, 14.4), new(21600, 1800, 6)];

    /// <summary>The workbook's pair for a ticket: 10 % of the budget in 3 days.</summary>
    public static readonly IReadOnlyList<BurnRateWindow> TicketWindows = [new(259200, 21600, 1)];

    public async Task<IReadOnlyList<GroupMeasurement>> MeasureAsync(AlertRule rule, CancellationToken cancellationToken) =>
        rule.Kind == RuleKind.SloBurnRate
            ? [await BurnRateAsync(rule, cancellationToken)]
            : await ThresholdAsync(rule, cancellationToken);

    /// <summary>The windows an SLO rule watches: the ticket pair for severity <c>ticket</c>, else the paging pairs.</summary>
    public static IReadOnlyList<BurnRateWindow> WindowsOf(AlertRule rule) => rule.Severity == "ticket" ? TicketWindows : PageWindows;

    private async Task<IReadOnlyList<GroupMeasurement>> ThresholdAsync(AlertRule rule, CancellationToken cancellationToken)
    {
        var answer = await analytics.QueryAsync(rule.ProjectId, new RuleQueryRequest(
            rule.Metric, rule.WindowSeconds, Quantile: rule.Quantile, Filters: FiltersOf(rule), GroupBy: rule.GroupBy, ThresholdMs: rule.LatencyThresholdMs),
            cancellationToken);
        return rule.GroupBy is null
            ? [Measure(rule, "", answer.Value)]
            : [.. answer.Groups.Select(g => Measure(rule, g.Group, g.Value))];
    }

    /// <summary>
    /// The value is the highest burn rate that both windows of a pair reach (the smaller of the two, the larger over
    /// the pairs); the rule matches when some pair's both windows burn at least its factor.
    /// </summary>
    private async Task<GroupMeasurement> BurnRateAsync(AlertRule rule, CancellationToken cancellationToken)
    {
        double? value = null;
        var matches = false;
        foreach (var window in WindowsOf(rule))
        {
            var longBurn = await BurnAsync(rule, window.LongSeconds, cancellationToken);
            var shortBurn = await BurnAsync(rule, window.ShortSeconds, cancellationToken);
            if (longBurn is null || shortBurn is null)
            {
                continue;
            }

            var both = Math.Min(longBurn.Value, shortBurn.Value);
            value = Math.Max(value ?? 0, both);
            matches |= both >= window.Factor;
        }

        return new GroupMeasurement("", value, matches);
    }

    /// <summary>The share of bad requests over the window divided by the error budget (1 − objective); null without traffic.</summary>
    private async Task<double?> BurnAsync(AlertRule rule, int windowSeconds, CancellationToken cancellationToken)
    {
        // One query answers both: its value counts the bad requests, its count all of them.
        var answer = await analytics.QueryAsync(rule.ProjectId, BadRequests(rule, windowSeconds), cancellationToken);
        return answer.Count == 0 ? null : answer.Value!.Value / answer.Count / (1 - rule.Objective!.Value);
    }

    /// <summary>An SLO's bad requests: 5xx answers for availability, requests taking the threshold or longer for latency.</summary>
    private static RuleQueryRequest BadRequests(AlertRule rule, int windowSeconds) => rule.ObjectiveKind == SloObjective.Latency
        ? new(RuleMetrics.SlowCount, windowSeconds, Filters: FiltersOf(rule), ThresholdMs: rule.LatencyThresholdMs)
        : new(RuleMetrics.Count5xx, windowSeconds, Filters: FiltersOf(rule));

    private static GroupMeasurement Measure(AlertRule rule, string group, double? value) =>
        new(group, value, value is { } v && RuleConditions.Holds(rule.Condition, v, rule.Threshold));

    private static RuleQueryFilters FiltersOf(AlertRule rule) =>
        new(rule.Filters.Route, rule.Filters.Method, rule.Filters.Consumer, rule.Filters.StatusClass);
}
