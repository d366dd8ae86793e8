namespace SentryFlow.Analytics.Rollups;

/// <summary>A part [From, To) of a query's range answered from one roll-up table.</summary>
public readonly record struct RollupSegment(RollupLevel Level, DateTimeOffset From, DateTimeOffset To);
