using System.ComponentModel.DataAnnotations;
using SentryFlow.RateLimit.Infrastructure;

namespace SentryFlow.RateLimit.Apis.Requests;

/// <summary>One named limit: <c>limit</c> units per <c>windowSeconds</c>, and for the token bucket and GCRA a <c>burst</c>.</summary>
public sealed record LimitRequest(
    [property: Required, MinLength(1), MaxLength(Limits.LimitName), RegularExpression(PolicyRequest.NamePattern, ErrorMessage = PolicyRequest.NameMessage)]
    string Name,
    [property: Required, Range(1, Limits.MaxLimit)] long? Limit,
    [property: Required, Range(1, Limits.MaxWindowSeconds)] int? WindowSeconds,
    [property: Range(1, Limits.MaxLimit)] long? Burst);
