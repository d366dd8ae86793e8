using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Keys.Apis;

/// <summary>
/// The keys service's problem codes (<c>GET /problems</c> lists them with the common ones). Clients act on the code,
/// so a code, once added, is never renamed.
/// </summary>
public static class KeysProblems
{
    public static readonly ProblemType NotFound = new("keys.not_found", StatusCodes.Status404NotFound, "No such key.");
}
