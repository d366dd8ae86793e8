namespace SentryFlow.RateLimit.Apis.Responses;

public sealed record LimitResponse(string Name, long Limit, int WindowSeconds, long? Burst);
