using Microsoft.AspNetCore.Http;

namespace SentryFlow.ServiceDefaults.Problems;

/// <summary>
/// The problems every service can answer, whatever its domain: bad input, authentication, routing, throttling and
/// failures. An error answer that no endpoint gave a code (an empty 404 from routing, a 401 from the token handler, a
/// 400 from model binding) gets the one here for its status.
/// </summary>
public static class CommonProblems
{
    public static readonly ProblemType Invalid = new("request.invalid", StatusCodes.Status400BadRequest, "The request is not valid.");
    public static readonly ProblemType Unauthenticated = new("auth.unauthenticated", StatusCodes.Status401Unauthorized, "A valid access token is required.");
    public static readonly ProblemType Forbidden = new("auth.forbidden", StatusCodes.Status403Forbidden, "The caller may not do this.");
    public static readonly ProblemType NotFound = new("request.not_found", StatusCodes.Status404NotFound, "Nothing is found at this address.");
    public static readonly ProblemType MethodNotAllowed = new("request.method_not_allowed", StatusCodes.Status405MethodNotAllowed, "The method is not allowed here.");
    public static readonly ProblemType NotAcceptable = new("request.not_acceptable", StatusCodes.Status406NotAcceptable, "No representation the client accepts is available.");
    public static readonly ProblemType Conflict = new("request.conflict", StatusCodes.Status409Conflict, "The request conflicts with the current state.");
    public static readonly ProblemType TooLarge = new("request.too_large", StatusCodes.Status413PayloadTooLarge, "The request body is too large.");
    public static readonly ProblemType UnsupportedMediaType = new("request.unsupported_media_type", StatusCodes.Status415UnsupportedMediaType, "The content type is not supported.");
    public static readonly ProblemType TooManyRequests = new("request.rate_limited", StatusCodes.Status429TooManyRequests, "Too many requests; retry later.");
    public static readonly ProblemType ServerError = new("server.error", StatusCodes.Status500InternalServerError, "An unexpected error occurred.");
    public static readonly ProblemType DependencyUnavailable = new("server.dependency_unavailable", StatusCodes.Status503ServiceUnavailable, "A service this one needs is unavailable; retry later.");
}
