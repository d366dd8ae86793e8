using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Apis.Responses;

public sealed record OverrideResponse(Guid Id, OverrideTarget Target, string Pattern, IReadOnlyList<OverrideLimitResponse> Limits, DateTimeOffset CreatedAt)
{
    public static OverrideResponse From(PolicyOverride o) =>
        new(o.Id, o.Target, o.Pattern, [.. o.Limits.Select(l => new OverrideLimitResponse(l.Name, l.Limit, l.Burst))], o.CreatedAt);
}
