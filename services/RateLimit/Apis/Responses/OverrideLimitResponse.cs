namespace SentryFlow.RateLimit.Apis.Responses;

public sealed record OverrideLimitResponse(string Name, long Limit, long? Burst);
