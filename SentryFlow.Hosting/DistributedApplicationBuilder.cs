using System.Reflection;
using SentryFlow.Hosting.ApplicationModel;
using SentryFlow.Hosting.Orchestration;

namespace SentryFlow.Hosting;

/// <summary>Declares the resources of the application and how they reference and wait for each other.</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];
    private readonly Lazy<StateDirectory> _state;

    public DistributedApplicationBuilder(DistributedApplicationOptions options, string appHostDirectory)
    {
        Options = options;
        AppHostDirectory = appHostDirectory;
        _state = new(() => new StateDirectory(options.StateDirectory ?? Path.Combine(AppHostDirectory, "..", ".state")));
    }

    public DistributedApplicationOptions Options { get; }

    /// <summary>The AppHost's project folder: project paths are relative to it, as in Aspire.</summary>
    public string AppHostDirectory { get; }

    public StateDirectory State => _state.Value;

    public IReadOnlyList<Resource> Resources => _resources;

    /// <summary>The AppHost's project folder, recorded at build time (see SentryFlow.AppHost.csproj), else the current folder.</summary>
    public static string EntryProjectDirectory() =>
        Assembly.GetEntryAssembly()?.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "AppHostProjectDirectory")?.Value
        ?? Environment.CurrentDirectory;

    public IResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' was already added.");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    /// <summary>A secret parameter: <c>Parameters__{name}</c> from the environment, else generated once and kept in the state folder.</summary>
    public IResourceBuilder<ParameterResource> AddGeneratedSecret(string name, int length = 22) =>
        AddResource(new ParameterResource(name,
            () => Environment.GetEnvironmentVariable($"Parameters__{name}") ?? State.GetOrCreateSecret(name, length),
            secret: true, length));

    public DistributedApplication Build() => new(this);
}
