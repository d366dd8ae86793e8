namespace SentryFlow.Contracts.Analytics;

/// <summary>
/// A rule query's answer over [<see cref="From"/>, <see cref="To"/>) (whole minutes: the roll-ups' resolution).
/// <see cref="Value"/> is null when there is nothing to compute it from (a rate or percentile of no requests); counts
/// of nothing are 0. <see cref="Count"/> is how many requests (or samples) the value stands on.
/// </summary>
public sealed record RuleQueryResponse(
    DateTimeOffset From, DateTimeOffset To, double? Value, long Count, IReadOnlyList<RuleQueryGroup> Groups);
