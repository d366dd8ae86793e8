using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Keys.Apis;

/// <summary>
/// The keys service's problem codes (<c>GET /problems</c> lists them with the common ones). Clients act on the code,
/// so a code, once added, is never renamed. A field that is merely the wrong shape (too long, missing) is the common
/// <c>request.invalid</c>, with <c>errors</c> naming it.
/// </summary>
public static class KeysProblems
{
    public static readonly ProblemType NotFound = new("keys.not_found", StatusCodes.Status404NotFound, "No such key.");

    public static readonly ProblemType ExpiryInPast = new("keys.expiry_in_past", StatusCodes.Status400BadRequest, "The expiry is not in the future.");

    public static readonly ProblemType MetaInvalid = new("keys.meta_invalid", StatusCodes.Status400BadRequest, "The meta is not a JSON object that can be stored.");

    public static readonly ProblemType PermissionInvalid = new("keys.permission_invalid", StatusCodes.Status400BadRequest, "A permission name is not valid.");

    public static readonly ProblemType RateLimitInvalid = new("keys.rate_limit_invalid", StatusCodes.Status400BadRequest, "A rate limit of the key is not valid.");

    /// <summary>A verify request whose key, cost or limits are malformed (a key that is merely unknown is a 200 verdict).</summary>
    public static readonly ProblemType VerifyInvalid = new("keys.verify_invalid", StatusCodes.Status400BadRequest, "The verification request is not valid.");

    /// <summary>A verify request whose permission query does not parse.</summary>
    public static readonly ProblemType PermissionQueryInvalid = new("keys.permission_query_invalid", StatusCodes.Status400BadRequest, "The permission query is not valid.");
}
