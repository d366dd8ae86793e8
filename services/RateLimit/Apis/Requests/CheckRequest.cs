namespace SentryFlow.RateLimit.Apis.Requests;

/// <summary>One decision for a project (see <see cref="CheckItem"/> for the fields).</summary>
public sealed record CheckRequest(
    Guid? ProjectId,
    string? Policy,
    string? Route,
    string? Method,
    string? Identifier,
    string? KeyId,
    string? Owner,
    string? Ip,
    int Cost = 1)
{
    public CheckItem ToItem() => new(Policy, Route, Method, Identifier, KeyId, Owner, Ip, Cost);
}
