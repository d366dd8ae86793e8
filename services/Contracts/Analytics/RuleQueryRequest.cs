namespace SentryFlow.Contracts.Analytics;

/// <summary>
/// What alerting asks analytics for one rule evaluation: a metric over the last <see cref="WindowSeconds"/> (or over
/// [<see cref="From"/>, <see cref="To"/>)), optionally filtered and split per route or consumer.
/// </summary>
/// <param name="Metric">One of <see cref="RuleMetrics.All"/>.</param>
/// <param name="Quantile">For <see cref="RuleMetrics.Latency"/> and <see cref="RuleMetrics.IngestLag"/>: in (0, 1], e.g. 0.95.</param>
/// <param name="GroupBy"><c>route</c>, <c>consumer</c> or null.</param>
/// <param name="ThresholdMs">For <see cref="RuleMetrics.SlowCount"/> only: a request this long or longer is slow; more than 0.</param>
public sealed record RuleQueryRequest(
    string? Metric,
    int? WindowSeconds = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    double? Quantile = null,
    RuleQueryFilters? Filters = null,
    string? GroupBy = null,
    double? ThresholdMs = null);
