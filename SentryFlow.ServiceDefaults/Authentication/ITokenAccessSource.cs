using SentryFlow.Contracts.Authorization;

namespace SentryFlow.ServiceDefaults.Authentication;

/// <summary>Where a service learns what access tokens may do now: identity's token access endpoint.</summary>
public interface ITokenAccessSource
{
    /// <summary>One answer per token, in order; throws when the answer cannot be had (identity unreachable).</summary>
    Task<IReadOnlyList<TokenAccess>> FetchAsync(IReadOnlyList<string> tokens, CancellationToken cancellationToken);
}
