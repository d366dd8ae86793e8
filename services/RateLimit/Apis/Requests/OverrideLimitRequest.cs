using System.ComponentModel.DataAnnotations;
using SentryFlow.RateLimit.Infrastructure;

namespace SentryFlow.RateLimit.Apis.Requests;

/// <summary>The new value of the policy's limit called <c>name</c> for the override's callers.</summary>
public sealed record OverrideLimitRequest(
    [property: Required, MinLength(1), MaxLength(Limits.LimitName)] string Name,
    [property: Required, Range(1, Limits.MaxLimit)] long? Limit,
    [property: Range(1, Limits.MaxLimit)] long? Burst);
