using System.ComponentModel.DataAnnotations;
using SentryFlow.RateLimit.Infrastructure;

namespace SentryFlow.RateLimit.Apis.Requests;

/// <summary>
/// One decision: a policy by name, or a route (and method) whose matching policies apply; the caller's attributes
/// the policy partitions by (or an explicit identifier); and the cost (default 1; 0 looks without charging).
/// </summary>
public sealed record CheckItem(
    [property: MaxLength(Limits.Name)] string? Policy,
    [property: MaxLength(2048)] string? Route,
    [property: MaxLength(16)] string? Method,
    [property: MaxLength(Limits.Identifier)] string? Identifier,
    [property: MaxLength(Limits.Identifier)] string? KeyId,
    [property: MaxLength(Limits.Identifier)] string? Owner,
    [property: MaxLength(64)] string? Ip,
    [property: Range(0, Limits.MaxCost)] int Cost = 1);
