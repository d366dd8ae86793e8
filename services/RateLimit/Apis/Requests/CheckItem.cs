using SentryFlow.Contracts.RateLimit;
using SentryFlow.RateLimit.Apis;

namespace SentryFlow.RateLimit.Apis.Requests;

/// <summary>
/// One decision: a policy by name, or a route (and method) whose matching policies apply; the caller's attributes
/// the policy partitions by (or an explicit identifier); and the cost (default 1; 0 looks without charging).
/// At most 100 characters for the policy, 2,048 for the route, 16 for the method, 256 for identifier, keyId and
/// owner, 64 for the IP; a cost of 0 to 1,000,000 (<see cref="CheckValidation"/>).
/// </summary>
public sealed record CheckItem(
    string? Policy,
    string? Route,
    string? Method,
    string? Identifier,
    string? KeyId,
    string? Owner,
    string? Ip,
    int Cost = 1)
{
    /// <summary>The item of a single check.</summary>
    public static CheckItem Of(CheckRequest request) =>
        new(request.Policy, request.Route, request.Method, request.Identifier, request.KeyId, request.Owner, request.Ip, request.Cost);
}
