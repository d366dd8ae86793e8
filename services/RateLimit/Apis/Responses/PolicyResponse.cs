using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Apis.Responses;

public sealed record PolicyResponse(
    Guid Id,
    Guid ProjectId,
    string Name,
    RateLimitAlgorithm Algorithm,
    IReadOnlyList<PartitionKey> PartitionBy,
    IReadOnlyList<string> Routes,
    IReadOnlyList<string> Methods,
    IReadOnlyList<LimitResponse> Limits,
    FailureMode FailureMode,
    IReadOnlyList<OverrideResponse> Overrides,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static PolicyResponse From(RateLimitPolicy policy) => new(
        policy.Id, policy.ProjectId, policy.Name, policy.Algorithm, policy.PartitionBy, policy.Routes, policy.Methods,
        [.. policy.Limits.Select(l => new LimitResponse(l.Name, l.Limit, l.WindowSeconds, l.Burst))],
        policy.FailureMode,
        [.. policy.Overrides.OrderBy(o => o.CreatedAt).Select(OverrideResponse.From)],
        policy.CreatedAt, policy.UpdatedAt);
}
