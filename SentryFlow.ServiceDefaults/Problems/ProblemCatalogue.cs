using System.Collections.Frozen;
using System.Reflection;

namespace SentryFlow.ServiceDefaults.Problems;

/// <summary>
/// The problems one service answers: <see cref="CommonProblems"/> plus the service's own catalogue class (a static class
/// of <see cref="ProblemType"/> fields, e.g. <c>KeysProblems</c>). Served at <c>GET /problems</c> so clients can see
/// every code; a code may appear once only, and only with one status.
/// </summary>
public sealed class ProblemCatalogue
{
    private readonly FrozenDictionary<int, ProblemType> _commonByStatus;

    public ProblemCatalogue(IEnumerable<ServiceProblems> services)
    {
        var all = new List<ProblemType>(TypesOf(typeof(CommonProblems)));
        foreach (var service in services)
        {
            all.AddRange(TypesOf(service.Catalogue));
        }

        var repeated = all.GroupBy(problem => problem.Code).FirstOrDefault(group => group.Count() > 1);
        if (repeated is not null)
        {
            throw new InvalidOperationException($"The problem code {repeated.Key} is declared more than once.");
        }

        Problems = all.OrderBy(problem => problem.Code, StringComparer.Ordinal).ToArray();
        _commonByStatus = TypesOf(typeof(CommonProblems)).ToFrozenDictionary(problem => problem.Status);
    }

    /// <summary>Every problem the service can answer, ordered by code.</summary>
    public IReadOnlyList<ProblemType> Problems { get; }

    /// <summary>The common problem for an answer no endpoint gave a code: by its status, else by its status class.</summary>
    public ProblemType ForStatus(int status) =>
        _commonByStatus.TryGetValue(status, out var problem)
            ? problem
            : status >= 500 ? CommonProblems.ServerError : CommonProblems.Invalid;

    /// <summary>The <see cref="ProblemType"/> fields and properties a static catalogue class declares.</summary>
    public static IEnumerable<ProblemType> TypesOf(Type catalogue) =>
        catalogue.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.FieldType == typeof(ProblemType))
            .Select(field => (ProblemType)field.GetValue(null)!);
}

/// <summary>A service's own catalogue class, registered by <c>AddProblemCatalogue</c>.</summary>
public sealed record ServiceProblems(Type Catalogue);
