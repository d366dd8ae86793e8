using SentryFlow.Contracts;
using SentryFlow.Contracts.RateLimit;
using SentryFlow.RateLimit.Apis.Requests;
using SentryFlow.RateLimit.Apis.Responses;
using SentryFlow.RateLimit.Decisions;
using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Apis;

/// <summary>
/// Decisions, the gateway's hot path. The caller needs an access token with at least the member role in the
/// project it asks about (a project member, or an organization's machine client); a stranger gets 403.
/// </summary>
public static class CheckApi
{
    public static IEndpointRouteBuilder MapCheckApi(this IEndpointRouteBuilder app)
    {
        var checks = app.MapGroup("/v1/ratelimit").WithTags("Decisions").RequireAuthorization();
        // CheckValidation checks the fields: the framework's validation would walk them again, more slowly.
        checks.MapPost("/check", CheckAsync).DisableValidation();
        checks.MapPost("/check-batch", CheckBatchAsync).DisableValidation();
        return app;
    }

    /// <summary>
    /// One decision: 200 admitted, 429 rejected (with Retry-After), 503 when Redis is unavailable and the policy fails
    /// closed; a named policy the project lacks is a 400 <c>ratelimit.policy_unknown</c>, or, when the request allows
    /// it, a 200 with source <c>none</c>.
    /// </summary>
    private static async Task<IResult> CheckAsync(CheckRequest request, HttpContext http, PolicyCache cache, DecisionService decisions)
    {
        var item = CheckItem.Of(request);
        if (CheckValidation.Validate(request.ProjectId, item) is { } invalid)
        {
            return RateLimitProblems.CheckInvalid.Validation(invalid);
        }

        var projectId = request.ProjectId!.Value;
        if (!Checks.MayCheck(http.User, projectId))
        {
            return TypedResults.Forbid();
        }

        var policies = await cache.GetAsync(projectId, http.RequestAborted);
        if (request.AllowWithoutPolicy && item.Policy is { } name && policies.Find(name) is null)
        {
            return TypedResults.Ok(Checks.NoPolicy);
        }

        var resolved = new List<(CompiledPolicy, string)>(1);
        if (!Checks.TryResolve(policies, item, "", resolved, out var errors))
        {
            return errors!;
        }

        var answer = await Checks.DecideAsync(decisions, resolved, item);
        if (answer.Headers is { } headers)
        {
            var responseHeaders = http.Response.Headers;
            responseHeaders[RateLimitHeaderNames.Policy] = headers.RateLimitPolicy;
            responseHeaders[RateLimitHeaderNames.RateLimit] = headers.RateLimit;
            if (headers.RetryAfter is { } retryAfter && answer.Source != CheckSources.FailedClosed)
            {
                responseHeaders[RateLimitHeaders.RetryAfterHeader] = retryAfter;
            }
        }

        return answer.Allowed ? TypedResults.Ok(answer)
            : answer.Source == CheckSources.FailedClosed ? TypedResults.Json(answer, statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Json(answer, statusCode: StatusCodes.Status429TooManyRequests);
    }

    /// <summary>Many decisions, written to Redis together in one pipelined batch; always 200 with one result per item, in order.</summary>
    private static async Task<IResult> CheckBatchAsync(CheckBatchRequest request, HttpContext http, PolicyCache cache, DecisionService decisions)
    {
        if (CheckValidation.Validate(request) is { } invalid)
        {
            return RateLimitProblems.CheckInvalid.Validation(invalid);
        }

        var projectId = request.ProjectId!.Value;
        if (!Checks.MayCheck(http.User, projectId))
        {
            return TypedResults.Forbid();
        }

        var policies = await cache.GetAsync(projectId, http.RequestAborted);
        var items = request.Items!;
        var resolved = new List<(CompiledPolicy, string)>[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            resolved[i] = new List<(CompiledPolicy, string)>(1);
            if (!Checks.TryResolve(policies, items[i], $"items[{i}].", resolved[i], out var errors))
            {
                return errors!;
            }
        }

        return TypedResults.Ok(new CheckBatchResponse(await Checks.DecideAsync(decisions, resolved, items)));
    }
}
