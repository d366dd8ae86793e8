namespace SentryFlow.Contracts.Authorization;

/// <summary>
/// Asks identity what the given access tokens may do now. The tokens are their own credential: identity answers only
/// for tokens it signed, and only about each token's own subject (what the holder could read at <c>/api/account/me</c>).
/// </summary>
public sealed record TokenAccessRequest(IReadOnlyList<string> Tokens)
{
    /// <summary>The path of identity's endpoint (relative to its authority).</summary>
    public const string Path = "internal/v1/token-access";

    /// <summary>The most tokens one request may carry.</summary>
    public const int MaxTokens = 100;
}

/// <summary>One answer per token of the request, in its order.</summary>
public sealed record TokenAccessResponse(IReadOnlyList<TokenAccess> Results);

/// <summary>
/// What one token's subject may do at this moment. <see cref="Active"/> is false when the token was revoked, its user
/// disabled or its machine client deleted, or it is not a token identity issued (or has expired); the other members
/// are then empty. Otherwise they are the current values of the token's role claims: <c>role</c>,
/// <see cref="SentryFlowClaims.OrganizationRole"/> and <see cref="SentryFlowClaims.ProjectRole"/>, which replace the
/// ones the token was issued with.
/// </summary>
public sealed record TokenAccess(bool Active, IReadOnlyList<string> Roles, IReadOnlyList<string> OrganizationRoles, IReadOnlyList<string> ProjectRoles)
{
    public static readonly TokenAccess Inactive = new(false, [], [], []);
}
