namespace SentryFlow.Ingest.Authentication;

/// <summary>
/// Requires an ingest key (<c>Authorization: Bearer …</c> or <c>X-Api-Key</c>): 401 when missing, unknown,
/// disabled or expired; 403 without the <c>ingest:write</c> permission; 429 when the key's own limits say so;
/// 503 with Retry-After when the keys service cannot be reached.
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
            return Refuse(StatusCodes.Status401Unauthorized, "An ingest key is required (Authorization: Bearer <key> or X-Api-Key).");
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
            return Refuse(StatusCodes.Status503ServiceUnavailable, "The key service cannot be reached; retry shortly.");
        }

        if (verdict.Key is { } key)
        {
            http.Items[typeof(IngestKey)] = key;
            return await next(context);
        }

        return verdict.Code switch
        {
            "INSUFFICIENT_SCOPES" => Refuse(StatusCodes.Status403Forbidden, $"The key lacks the {IngestKeyVerifier.Permission} permission."),
            "RATE_LIMITED" or "USAGE_EXCEEDED" => Refuse(StatusCodes.Status429TooManyRequests, "The key's limit is reached."),
            _ => Refuse(StatusCodes.Status401Unauthorized, "The ingest key is not valid."),
        };
    }

    private static IResult Refuse(int status, string detail) => TypedResults.Problem(statusCode: status, detail: detail);
}
