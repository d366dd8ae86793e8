using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.RateLimit.Apis;

/// <summary>
/// The rate-limit service's problem codes (<c>GET /problems</c> lists them with the common ones). Clients act on the
/// code, so a code, once added, is never renamed.
/// </summary>
public static class RateLimitProblems
{
    public static readonly ProblemType PolicyNotFound = new("ratelimit.policy_not_found", StatusCodes.Status404NotFound, "No such policy.");

    /// <summary>A check names a policy the project does not have.</summary>
    public static readonly ProblemType PolicyUnknown = new("ratelimit.policy_unknown", StatusCodes.Status400BadRequest, "The project has no policy of this name.");
}
