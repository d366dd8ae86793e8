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
            rule.Metric, rule.WindowSeconds, Quantile: rule.Quantile, Filters: FiltersOf(rule), GroupBy: rule.GroupBy), cancellationToken);
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

    /// <summary>The share of 5xx answers over the window divided by the error budget (1 − objective); null without traffic.</summary>
    private async Task<double?> BurnAsync(AlertRule rule, int windowSeconds, CancellationToken cancellationToken)
    {
        var filters = FiltersOf(rule);
        var total = await analytics.QueryAsync(rule.ProjectId, new RuleQueryRequest(RuleMetrics.RequestCount, windowSeconds, Filters: filters), cancellationToken);
        if (total.Count == 0)
        {
            return null;
        }

        var failed = await analytics.QueryAsync(rule.ProjectId, new RuleQueryRequest(RuleMetrics.Count5xx, windowSeconds, Filters: filters), cancellationToken);
        return (double)failed.Value!.Value / total.Count / (1 - rule.Objective!.Value);
    }

    private static GroupMeasurement Measure(AlertRule rule, string group, double? value) =>
        new(group, value, value is { } v && RuleConditions.Holds(rule.Condition, v, rule.Threshold));

    private static RuleQueryFilters FiltersOf(AlertRule rule) =>
        new(rule.Filters.Route, rule.Filters.Method, rule.Filters.Consumer, rule.Filters.StatusClass);
}
