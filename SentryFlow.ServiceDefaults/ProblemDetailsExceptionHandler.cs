using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace SentryFlow.ServiceDefaults;

/// <summary>
/// Turns an unhandled exception into a problem-details (RFC 9457) response.
/// A <see cref="BadHttpRequestException"/> (malformed JSON, a missing or unparsable parameter, a wrong
/// content type, a body too large) keeps its status code (usually 400) and says what was wrong; for a
/// JSON error, an <c>errors</c> member names the field by its JSON path. Anything else becomes a 500
/// that reveals nothing of the exception (it is logged, with the trace id the response carries).
/// </summary>
public sealed partial class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetailsService,
    ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(
        HttpContext httpContext,
        Exception exception,
        CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody is listening for an answer.
            LogRequestAborted(logger, httpContext.Request.Method, httpContext.Request.Path);
            return true;
        }

        ProblemDetails problem;
        if (exception is BadHttpRequestException badRequest)
        {
            LogBadRequest(logger, badRequest.StatusCode, badRequest.Message);
            problem = new ProblemDetails { Status = badRequest.StatusCode, Detail = badRequest.Message };
            if (FindJsonException(badRequest) is { } json)
            {
                problem.Extensions["errors"] = new Dictionary<string, string[]>
                {
                    [FieldName(json.Path)] = [JsonErrorMessage(json.Message)],
                };
            }
            else if (BoundParameter().Match(badRequest.Message) is { Success: true } parameter)
            {
                // A query, route or header value that does not parse as its parameter's type (limit=abc, a bad GUID).
                problem.Extensions["errors"] = new Dictionary<string, string[]>
                {
                    [parameter.Groups["name"].Value] = [parameter.Groups["kind"].Value == "Failed to bind"
                        ? "The value is not valid for this parameter."
                        : "The parameter is required."],
                };
            }
        }
        else
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Detail = "An unexpected error occurred. The trace id identifies it in the service's logs.",
            };
        }

        httpContext.Response.StatusCode = problem.Status.Value;
        return await problemDetailsService.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    // "$.limits[0].window" -> "limits[0].window"; "$" (the body as a whole) stays "$".
    private static string FieldName(string? path) =>
        path is null or "" or "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    // System.Text.Json appends " Path: $.x | LineNumber: 0 | BytePositionInLine: 9." and, for a value of
    // the wrong type, names the .NET type; the client needs neither.
    private static string JsonErrorMessage(string message)
    {
        var end = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var text = end >= 0 ? message[..end] : message;
        return text.StartsWith("The JSON value could not be converted to", StringComparison.Ordinal)
            ? "The JSON value is not valid for this field."
            : text;
    }

    // Minimal APIs' binding failures: 'Failed to bind parameter "int limit" from "abc".' and
    // 'Required parameter "string name" was not provided from query string.'
    [GeneratedRegex("^(?<kind>Failed to bind|Required) parameter \"[^\"]* (?<name>[A-Za-z_][A-Za-z0-9_]*)\"", RegexOptions.ExplicitCapture)]
    private static partial Regex BoundParameter();

    [LoggerMessage(Level = LogLevel.Information, Message = "Bad request ({StatusCode}): {Reason}")]
    private static partial void LogBadRequest(ILogger logger, int statusCode, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {Method} {Path} aborted by the client")]
    private static partial void LogRequestAborted(ILogger logger, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
}
