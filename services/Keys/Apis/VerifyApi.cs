using SentryFlow.Keys.Apis.Requests;
using SentryFlow.Keys.Verification;

namespace SentryFlow.Keys.Apis;

/// <summary>
/// <c>POST /v1/keys/verify</c>: the key is its own credential, so the endpoint is open (as Unkey's is); a refusal is
/// still a 200 with <c>valid: false</c> and a code, so callers branch on the body, not on transport errors.
/// </summary>
public static class VerifyApi
{
    public static IEndpointRouteBuilder MapVerifyApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/keys/verify", VerifyAsync).WithTags("Verify").AllowAnonymous();
        return app;
    }

    private static async Task<IResult> VerifyAsync(VerifyKeyRequest request, KeyVerifier verifier, CancellationToken cancellationToken)
    {
        PermissionQuery? required = null;
        if (request.Permissions is { Length: > 0 } && !PermissionQuery.TryParse(request.Permissions, out required, out var error))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["permissions"] = [error!] });
        }

        return TypedResults.Ok(await verifier.VerifyAsync(request, required, cancellationToken));
    }
}
