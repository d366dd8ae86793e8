using System.ComponentModel.DataAnnotations;
using SentryFlow.RateLimit.Infrastructure;

namespace SentryFlow.RateLimit.Apis.Requests;

/// <summary>One decision for a project (see <see cref="CheckItem"/> for the fields).</summary>
public sealed record CheckRequest(
    [property: Required] Guid? ProjectId,
    [property: MaxLength(Limits.Name)] string? Policy,
    [property: MaxLength(2048)] string? Route,
    [property: MaxLength(16)] string? Method,
    [property: MaxLength(Limits.Identifier)] string? Identifier,
    [property: MaxLength(Limits.Identifier)] string? KeyId,
    [property: MaxLength(Limits.Identifier)] string? Owner,
    [property: MaxLength(64)] string? Ip,
    [property: Range(0, Limits.MaxCost)] int Cost = 1)
{
    public CheckItem ToItem() => new(Policy, Route, Method, Identifier, KeyId, Owner, Ip, Cost);
}
