using System.ComponentModel.DataAnnotations;
using SentryFlow.RateLimit.Infrastructure;
using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Apis.Requests;

/// <summary>Adds (or replaces, for the same target and pattern) an override of some of a policy's limits.</summary>
public sealed record OverrideRequest(
    [property: Required] OverrideTarget? Target,
    [property: Required, MinLength(1), MaxLength(Limits.Identifier)] string Pattern,
    [property: Required, MinLength(1), MaxLength(Limits.LimitsPerPolicy)] IReadOnlyList<OverrideLimitRequest?>? Limits);
