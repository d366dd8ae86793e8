using SentryFlow.RateLimit.Infrastructure;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.RateLimit.Apis;

/// <summary>
/// The rate-limit service's problem codes (<c>GET /problems</c> lists them with the common ones). Clients act on the
/// code, so a code, once added, is never renamed. A field that is merely the wrong shape (too long, missing, out of
/// range) is the common <c>request.invalid</c>, with <c>errors</c> naming it.
/// </summary>
public static class RateLimitProblems
{
    public static readonly ProblemType PolicyNotFound = new("ratelimit.policy_not_found", StatusCodes.Status404NotFound, "No such policy.");

    /// <summary>A check names a policy the project does not have.</summary>
    public static readonly ProblemType PolicyUnknown = new("ratelimit.policy_unknown", StatusCodes.Status400BadRequest, "The project has no policy of this name.");

    public static readonly ProblemType PolicyNameTaken = new(
        "ratelimit.policy_name_taken", StatusCodes.Status400BadRequest, "The project already has a policy with this name.");

    /// <summary>A replacement drops or renames a limit an override still changes.</summary>
    public static readonly ProblemType LimitInUse = new("ratelimit.limit_in_use", StatusCodes.Status400BadRequest, "An override refers to this limit.");

    public static readonly ProblemType OverrideNotFound = new("ratelimit.override_not_found", StatusCodes.Status404NotFound, "No such override.");

    /// <summary>An override names a limit the policy lacks, twice, with a burst the policy cannot take, or with a pattern of only '*'.</summary>
    public static readonly ProblemType OverrideInvalid = new("ratelimit.override_invalid", StatusCodes.Status400BadRequest, "The override does not fit the policy.");

    public static readonly ProblemType OverrideExists = new(
        "ratelimit.override_exists", StatusCodes.Status400BadRequest, "The policy already has an override for this target and pattern.");

    public static readonly ProblemType TooManyOverrides = new(
        "ratelimit.too_many_overrides", StatusCodes.Status409Conflict, $"A policy has at most {Limits.OverridesPerPolicy} overrides.");

    /// <summary>A check (or an item of a batch) whose fields are malformed: lengths, cost, a route, an attribute its policy partitions by.</summary>
    public static readonly ProblemType CheckInvalid = new("ratelimit.check_invalid", StatusCodes.Status400BadRequest, "The check is not valid.");
}
