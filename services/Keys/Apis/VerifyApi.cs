using SentryFlow.Contracts.Keys;
using SentryFlow.Keys.Verification;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Keys.Apis;

/// <summary>
/// <c>POST /v1/keys/verify</c>: the key is its own credential, so the endpoint is open (as Unkey's is). A well-formed
/// request is answered 200 with the verdict (<c>valid: false</c> and a code for a refused key), so callers branch on the
/// body; a malformed one (no key, a key longer than any key, a permission query that does not parse) is a 400 naming
/// the field.
/// </summary>
public static class VerifyApi
{
    public static IEndpointRouteBuilder MapVerifyApi(this IEndpointRouteBuilder app)
    {
        // The fields are checked here, against the shared contract's limits, with this endpoint's problem codes.
        app.MapPost("/v1/keys/verify", VerifyAsync).WithTags("Verify").AllowAnonymous().DisableValidation();
        return app;
    }

    private static async Task<IResult> VerifyAsync(VerifyKeyRequest request, KeyVerifier verifier, CancellationToken cancellationToken)
    {
        var errors = new ProblemErrors();
        if (string.IsNullOrEmpty(request.Key))
        {
            errors.Add(KeysProblems.VerifyInvalid, "key", "The key is required.");
        }
        else if (request.Key.Length > VerifyKeyRequest.MaxKeyLength)
        {
            errors.Add(KeysProblems.VerifyInvalid, "key", $"At most {VerifyKeyRequest.MaxKeyLength} characters: no key is longer.");
        }

        if (request.Cost is < 0 or > VerifyKeyRequest.MaxCost)
        {
            errors.Add(KeysProblems.VerifyInvalid, "cost", $"The cost is 0 to {VerifyKeyRequest.MaxCost}.");
        }

        if (request.RateLimits is { Length: > VerifyKeyRequest.MaxRateLimits })
        {
            errors.Add(KeysProblems.VerifyInvalid, "rateLimits", $"At most {VerifyKeyRequest.MaxRateLimits} limits.");
        }

        PermissionQuery? required = null;
        if (request.Permissions is { Length: > VerifyKeyRequest.MaxPermissionsLength })
        {
            errors.Add(KeysProblems.PermissionQueryInvalid, "permissions", $"At most {VerifyKeyRequest.MaxPermissionsLength} characters.");
        }
        else if (request.Permissions is { Length: > 0 } && !PermissionQuery.TryParse(request.Permissions, out required, out var error))
        {
            errors.Add(KeysProblems.PermissionQueryInvalid, "permissions", error!);
        }

        return errors.ToResult() is { } invalid ? invalid : TypedResults.Ok(await verifier.VerifyAsync(request, required, cancellationToken));
    }
}
