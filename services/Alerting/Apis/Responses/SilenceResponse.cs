using SentryFlow.Alerting.Silences;

namespace SentryFlow.Alerting.Apis.Responses;

public sealed record SilenceResponse(
    Guid Id, IReadOnlyList<LabelMatcher> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string CreatedBy, string? Comment, bool Active)
{
    public static SilenceResponse From(Silence s, DateTimeOffset now) =>
        new(s.Id, s.Matchers, s.StartsAt, s.EndsAt, s.CreatedBy, s.Comment, now >= s.StartsAt && now < s.EndsAt);
}
