namespace SentryFlow.Analytics.Apis.Responses;

/// <summary>Usage per consumer over [From, To), most requests first.</summary>
public sealed record ConsumerUsageResponse(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ConsumerUsage> Consumers);
