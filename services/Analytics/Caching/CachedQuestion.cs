namespace SentryFlow.Analytics.Caching;

/// <summary>
/// One cacheable query: its key (project, endpoint and normalized parameters), the minutes its answer depends on
/// (<see cref="CoversFrom"/> to <see cref="CoversTo"/>) and how long the answer may be kept.
/// </summary>
public sealed record CachedQuestion(Guid ProjectId, string Key, DateTimeOffset CoversFrom, DateTimeOffset CoversTo, TimeSpan Ttl);
