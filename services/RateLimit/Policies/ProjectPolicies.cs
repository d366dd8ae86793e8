namespace SentryFlow.RateLimit.Policies;

/// <summary>A project's policies as the hot path reads them: by name, and in order for route matching.</summary>
public sealed class ProjectPolicies(IReadOnlyList<CompiledPolicy> policies)
{
    private readonly Dictionary<string, CompiledPolicy> _byName = policies.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public IReadOnlyList<CompiledPolicy> All { get; } = policies;

    public CompiledPolicy? Find(string name) => _byName.GetValueOrDefault(name);
}
