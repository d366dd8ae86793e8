using Microsoft.AspNetCore.Mvc;
using SentryFlow.Contracts.RateLimit;
using SentryFlow.RateLimit.Apis.Responses;
using SentryFlow.RateLimit.Decisions;
using SentryFlow.RateLimit.Infrastructure;
using SentryFlow.RateLimit.Policies;
using SentryFlow.ServiceDefaults.Authentication;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.RateLimit.Apis;

/// <summary>Admins look at an identifier's counters and reset them: one identifier, or every counter of a policy.</summary>
public static class CountersApi
{
    public static IEndpointRouteBuilder MapCountersApi(this IEndpointRouteBuilder app)
    {
        var counters = app.MapGroup("/api/projects/{projectId:guid}/ratelimit/policies/{policyId:guid}/counters")
            .WithTags("Counters").RequireAuthorization(SentryFlowPolicies.ProjectAdmin);
        counters.MapGet("/", StatusAsync);
        counters.MapDelete("/", ResetAsync);
        return app;
    }

    /// <summary>The identifier's current state in each limit (the override's values when one applies), without charging.</summary>
    private static async Task<IResult> StatusAsync(
        Guid projectId, Guid policyId, [FromQuery] string? identifier, [FromQuery] string? keyId, [FromQuery] string? owner,
        PolicyCache cache, RedisRateLimiter redis, HttpContext http)
    {
        if (Invalid(identifier, keyId, owner) is { } invalid)
        {
            return invalid;
        }

        var policy = (await cache.GetAsync(projectId, http.RequestAborted)).All.FirstOrDefault(p => p.Id == policyId);
        if (policy is null)
        {
            return PoliciesApi.NoSuchPolicy();
        }

        var limits = policy.LimitsFor(keyId, owner, identifier!, out var applied);
        var (_, outcomes) = await redis.EvaluateAsync(policy.Algorithm, policy.KeyPrefix, identifier!, limits, cost: 0);
        return TypedResults.Ok(new PolicyDecisionResponse(policy.Id, policy.Name, identifier!, outcomes.All(o => o.Remaining > 0), CheckSources.Redis, applied?.Id,
            [.. outcomes.Select(l => new LimitStateResponse(l.Name, l.Limit, l.WindowSeconds, Math.Max(0, l.Remaining), l.ResetMicros / 1e6, null))]));
    }

    /// <summary>With <c>identifier</c>: that identifier's counters; without: every counter of the policy.</summary>
    private static async Task<IResult> ResetAsync(
        Guid projectId, Guid policyId, [FromQuery] string? identifier, PolicyCache cache, RedisRateLimiter redis, HttpContext http)
    {
        if (identifier is not null && Invalid(identifier, null, null) is { } invalid)
        {
            return invalid;
        }

        var policy = (await cache.GetAsync(projectId, http.RequestAborted)).All.FirstOrDefault(p => p.Id == policyId);
        if (policy is null)
        {
            return PoliciesApi.NoSuchPolicy();
        }

        var deleted = identifier is null
            ? await redis.ResetAllAsync(policy.KeyPrefix)
            : await redis.ResetAsync(policy.KeyPrefix, identifier, policy.Limits.Select(l => l.Name));
        return TypedResults.Ok(new { deleted });
    }

    private static IResult? Invalid(string? identifier, string? keyId, string? owner)
    {
        var errors = new ProblemErrors();
        if (string.IsNullOrEmpty(identifier))
        {
            errors.Add(CommonProblems.Invalid, "identifier", "The identifier is required.");
        }

        foreach (var (field, value) in new[] { ("identifier", identifier), ("keyId", keyId), ("owner", owner) })
        {
            if (value is { Length: > Limits.Identifier })
            {
                errors.Add(CommonProblems.Invalid, field, $"At most {Limits.Identifier} characters.");
            }
        }

        return errors.ToResult();
    }
}
