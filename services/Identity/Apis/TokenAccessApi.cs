using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Identity.Tokens;

namespace SentryFlow.Identity.Apis;

/// <summary>
/// What other services ask before they honour an access token: for each token, whether it still works and its subject's
/// current roles (see <see cref="TokenAccessQuery"/>). Open: each token is its own credential, and the answer tells its
/// holder nothing <c>/api/account/me</c> would not.
/// </summary>
public static class TokenAccessApi
{
    // A hundred tokens of a member of many projects.
    private const long MaxBodySize = 2 * 1024 * 1024;

    public static IEndpointRouteBuilder MapTokenAccessApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/" + TokenAccessRequest.Path, AnswerAsync)
            .WithTags("Token access")
            .AllowAnonymous()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodySize));
        return app;
    }

    private static async Task<Results<Ok<TokenAccessResponse>, ValidationProblem>> AnswerAsync(
        TokenAccessRequest request, TokenAccessQuery query, CancellationToken cancellationToken)
    {
        if (request.Tokens is not { Count: > 0 and <= TokenAccessRequest.MaxTokens })
        {
            return IdentityProblems.TokenAccessInvalid.Validation("tokens", $"Give 1 to {TokenAccessRequest.MaxTokens} tokens.");
        }

        return TypedResults.Ok(new TokenAccessResponse(await query.AnswerAsync(request.Tokens, cancellationToken)));
    }
}
