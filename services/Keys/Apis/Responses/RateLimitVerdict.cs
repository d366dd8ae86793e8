namespace SentryFlow.Keys.Apis.Responses;

/// <summary>The limit that refused the verification, and when its window ends.</summary>
public sealed record RateLimitVerdict(string Name, int Limit, DateTimeOffset ResetAt);
