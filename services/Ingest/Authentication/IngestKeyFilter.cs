using SentryFlow.Contracts.Keys;

namespace SentryFlow.Ingest.Authentication;

/// <summary>
/// Requires an ingest key (<c>Authorization: Bearer …</c> or <c>X-Api-Key</c>): 401 when missing, unknown,
/// disabled, expired or not shaped like a key (<c>ingest.key_missing</c>, <c>ingest.key_invalid</c>); 403 without the
/// <c>ingest:write</c> permission; 429 when the key's own limits say so; 503 with Retry-After only when the keys service
/// cannot be reached or answers 5xx (<c>ingest.key_service_unavailable</c>).
/// </summary>
public sealed class IngestKeyFilter(IngestKeyVerifier verifier) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var presented = http.Request.Headers["X-Api-Key"].ToString();
        if (presented.Length == 0 && http.Request.Headers.Authorization.ToString() is { } authorization
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }

        if (presented.Length == 0)
        {
            return IngestProblems.KeyMissing.Result("An ingest key is required (Authorization: Bearer <key> or X-Api-Key).");
        }

        IngestKeyVerdict verdict;
        try
        {
            verdict = await verifier.VerifyAsync(presented, http.RequestAborted);
        }
        catch (Exception exception) when (exception is HttpRequestException or Polly.ExecutionRejectedException or TimeoutException
            || (exception is OperationCanceledException && !http.RequestAborted.IsCancellationRequested))
        {
            http.Response.Headers.RetryAfter = "5";
            return IngestProblems.KeyServiceUnavailable.Result("The key service cannot be reached; retry shortly.");
        }

        if (verdict.Key is { } key)
        {
            http.Items[typeof(IngestKey)] = key;
            return await next(context);
        }

        return verdict.Code switch
        {
            VerifyCodes.InsufficientScopes => IngestProblems.KeyForbidden.Result($"The key lacks the {IngestKeyVerifier.Permission} permission."),
            VerifyCodes.RateLimited or VerifyCodes.UsageExceeded => IngestProblems.KeyLimited.Result("The key's limit is reached."),
            _ => IngestProblems.KeyInvalid.Result("The ingest key is not valid."),
        };
    }
}
