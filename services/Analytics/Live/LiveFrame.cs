namespace SentryFlow.Analytics.Live;

/// <summary>One second of a project's traffic as the live view sends it (<c>event: second</c>); p95 is null without requests.</summary>
public sealed record LiveFrame(DateTimeOffset Time, long Requests, long Errors, long Errors4xx, long Errors5xx, double? P95);
