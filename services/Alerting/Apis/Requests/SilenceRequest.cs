namespace SentryFlow.Alerting.Apis.Requests;

/// <summary>A silence: alerts whose labels match every matcher send nothing from <see cref="StartsAt"/> (default now) to <see cref="EndsAt"/>.</summary>
public sealed record SilenceRequest(List<MatcherRequest?>? Matchers, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Comment = null);
