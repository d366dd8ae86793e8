namespace SentryFlow.Analytics.Apis.Responses;

/// <summary>One consumer's use of the project over the range (null: records that named no consumer), for billing and quotas.</summary>
public sealed record ConsumerUsage(string? Consumer, long Requests, long Errors4xx, long Errors5xx, long BytesIn, long BytesOut);
