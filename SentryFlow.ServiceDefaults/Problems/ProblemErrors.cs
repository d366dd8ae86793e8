using Microsoft.AspNetCore.Http.HttpResults;

namespace SentryFlow.ServiceDefaults.Problems;

/// <summary>
/// The field errors an endpoint's checks found, answered together as one 400 (<c>errors</c> names every field) whose
/// code is the first problem found: a client that fixes one thing at a time acts on the first.
/// </summary>
public sealed class ProblemErrors
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);
    private ProblemType? _first;

    public int Count => _errors.Count;

    public bool Contains(string field) => _errors.ContainsKey(field);

    /// <summary>Records that <paramref name="field"/> is wrong, as <paramref name="problem"/> (a 400 problem).</summary>
    public void Add(ProblemType problem, string field, string message)
    {
        _first ??= problem;
        _errors[field] = [message];
    }

    /// <summary>The 400 answer; null when no error was found.</summary>
    public ValidationProblem? ToResult() => _first?.Validation(_errors);
}
