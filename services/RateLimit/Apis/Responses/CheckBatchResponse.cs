using SentryFlow.Contracts.RateLimit;

namespace SentryFlow.RateLimit.Apis.Responses;

/// <summary>The batch's decisions in the order of its items (always 200: a rejection is an answer, not an error).</summary>
public sealed record CheckBatchResponse(IReadOnlyList<CheckResponse> Results);
