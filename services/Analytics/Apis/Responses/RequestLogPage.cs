using SentryFlow.Analytics.Queries;

namespace SentryFlow.Analytics.Apis.Responses;

/// <summary>A page of the request log, newest first; pass <see cref="Next"/> as <c>cursor</c> for the next (null on the last).</summary>
public sealed record RequestLogPage(IReadOnlyList<RequestLogEntry> Requests, string? Next);
