namespace SentryFlow.Analytics.Apis.Responses;

/// <summary>How many events of each type happened in [From, To) (by the events' own timestamps).</summary>
public sealed record EventCountsResponse(DateTimeOffset From, DateTimeOffset To, IReadOnlyDictionary<string, long> Types);
