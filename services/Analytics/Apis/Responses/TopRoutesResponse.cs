namespace SentryFlow.Analytics.Apis.Responses;

/// <summary>The busiest (or most failing, or slowest) routes of the range, best first.</summary>
public sealed record TopRoutesResponse(DateTimeOffset From, DateTimeOffset To, string By, IReadOnlyList<RouteStats> Routes);
