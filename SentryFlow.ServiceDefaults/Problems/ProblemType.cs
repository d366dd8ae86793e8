using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SentryFlow.ServiceDefaults.Problems;

/// <summary>
/// One kind of error answer, from a service's catalogue: a stable machine-readable <see cref="Code"/>
/// (<c>keys.not_found</c>), the HTTP status it is answered with and a one-line title. Clients and the console act on the
/// code; the <see cref="Type"/> URI (RFC 9457's <c>type</c>) is derived from it, so the two never disagree.
/// </summary>
public sealed record ProblemType(string Code, int Status, string Title)
{
    /// <summary>The prefix of every problem type URI; the rest is the code.</summary>
    public const string TypePrefix = "urn:sentryflow:problem:";

    /// <summary>The problem-details extension member that carries the code.</summary>
    public const string CodeMember = "code";

    /// <summary>RFC 9457's <c>type</c>: <c>urn:sentryflow:problem:</c> followed by the code.</summary>
    public string Type => TypePrefix + Code;

    /// <summary>An answer of this kind, with a detail that says what happened this time.</summary>
    public ProblemHttpResult Result(string? detail = null) =>
        TypedResults.Problem(detail, statusCode: Status, title: Title, type: Type, extensions: CodeExtension());

    /// <summary>A 400 of this kind that names the fields at fault (<c>errors</c>, as validation problems do).</summary>
    public ValidationProblem Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        Status == StatusCodes.Status400BadRequest
            ? TypedResults.ValidationProblem(errors, detail, title: Title, type: Type, extensions: CodeExtension())
            : throw new InvalidOperationException($"{Code} is answered with {Status}, not 400: use Result().");

    /// <summary>A 400 of this kind naming one field.</summary>
    public ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    private KeyValuePair<string, object?>[] CodeExtension() => [new(CodeMember, Code)];
}
