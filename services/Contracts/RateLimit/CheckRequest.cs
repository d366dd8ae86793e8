namespace SentryFlow.Contracts.RateLimit;

/// <summary>
/// <c>POST http://ratelimit/v1/ratelimit/check</c>: one decision for a project. A policy by name, or a route (and
/// method) whose matching policies apply; the caller's attributes the policy partitions by (or an explicit
/// identifier); and the cost (default 1; 0 looks without charging). At most 100 characters for the policy, 2,048 for
/// the route, 16 for the method, 256 for identifier, keyId and owner, 64 for the IP; a cost of 0 to 1,000,000.
/// Answered with a <see cref="CheckResponse"/>: 200 admitted, 429 rejected, 503 when the policy fails closed.
/// </summary>
/// <param name="AllowWithoutPolicy">
/// What a named <paramref name="Policy"/> the project does not have gets: false (the default), a 400
/// <c>ratelimit.policy_unknown</c> naming the field; true, a 200 admitting with <see cref="CheckSources.None"/> (nothing
/// limits it), for a caller whose projects may or may not have set such a policy (ingest's <c>ingest</c> policy).
/// </param>
public sealed record CheckRequest(
    Guid? ProjectId,
    string? Policy,
    string? Route = null,
    string? Method = null,
    string? Identifier = null,
    string? KeyId = null,
    string? Owner = null,
    string? Ip = null,
    int Cost = 1,
    bool AllowWithoutPolicy = false);
