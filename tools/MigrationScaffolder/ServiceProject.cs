using System.Reflection;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SentryFlow.Tools.MigrationScaffolder;

/// <summary>A service project: where its source lives, its root namespace, its assembly and its DbContext.</summary>
internal sealed class ServiceProject
{
    /// <summary>
    /// The connection string the context gets when the service has no design-time factory. Scaffolding
    /// never connects; it only needs the provider (and its options) to build the model.
    /// </summary>
    public const string DesignConnectionString = "Host=localhost;Database=design";

    // The service name on the command line -> the project's folder under services/ (project <Folder>.Api).
    private static readonly Dictionary<string, string> Folders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["identity"] = "Identity",
        ["keys"] = "Keys",
        ["ratelimit"] = "RateLimit",
        ["analytics"] = "Analytics",
        ["alerting"] = "Alerting",
    };

    private ServiceProject(string projectDirectory, string rootNamespace, Assembly assembly, Type contextType)
    {
        ProjectDirectory = projectDirectory;
        RootNamespace = rootNamespace;
        Assembly = assembly;
        ContextType = contextType;
    }

    public static IEnumerable<string> Names => Folders.Keys;

    /// <summary>The project's folder, e.g. <c>/repo/services/Identity</c>.</summary>
    public string ProjectDirectory { get; }

    /// <summary>The project's RootNamespace, e.g. <c>SentryFlow.Identity</c>.</summary>
    public string RootNamespace { get; }

    /// <summary>The service's assembly (also the startup assembly: the service is its own host).</summary>
    public Assembly Assembly { get; }

    /// <summary>The service's one public DbContext subclass.</summary>
    public Type ContextType { get; }

    /// <summary>Finds the service's project, loads its assembly and finds its DbContext.</summary>
    public static ServiceProject Load(string repositoryRoot, string service)
    {
        if (!Folders.TryGetValue(service, out var folder))
        {
            throw new UsageException($"Unknown service '{service}'. Expected one of: {string.Join(", ", Names)}.");
        }

        var projectDirectory = Path.Combine(repositoryRoot, "services", folder);
        var projectFile = Path.Combine(projectDirectory, folder + ".Api.csproj");
        if (!File.Exists(projectFile))
        {
            throw new InvalidOperationException($"Project file not found: {projectFile}");
        }

        var assemblyName = Path.GetFileNameWithoutExtension(projectFile);
        var assembly = Assembly.Load(new AssemblyName(assemblyName));

        var contexts = assembly.GetExportedTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false } && type.IsSubclassOf(typeof(DbContext)))
            .ToList();
        if (contexts.Count != 1)
        {
            throw new InvalidOperationException(
                $"Expected exactly one public DbContext in {assemblyName}, found {contexts.Count}"
                + (contexts.Count == 0 ? "." : ": " + string.Join(", ", contexts.Select(c => c.FullName)) + "."));
        }

        return new ServiceProject(projectDirectory, ReadRootNamespace(projectFile) ?? assemblyName, assembly, contexts[0]);
    }

    /// <summary>
    /// Creates the context as EF Core's tools do at design time: through the assembly's
    /// <see cref="IDesignTimeDbContextFactory{TContext}"/> if it has one, otherwise with PostgreSQL options
    /// like the ones <c>AddSentryFlowDbContext</c> registers at run time (default migrations history table,
    /// <c>__EFMigrationsHistory</c> in the search path's schema, in both).
    /// </summary>
    public DbContext CreateContext(string[] args)
    {
        var factoryInterface = typeof(IDesignTimeDbContextFactory<>).MakeGenericType(ContextType);
        var factories = Assembly.DefinedTypes
            .Where(type => type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
                && factoryInterface.IsAssignableFrom(type))
            .ToList();
        if (factories.Count > 1)
        {
            throw new InvalidOperationException(
                $"More than one IDesignTimeDbContextFactory<{ContextType.Name}> in {Assembly.GetName().Name}: "
                + string.Join(", ", factories.Select(f => f.FullName)) + ".");
        }

        if (factories.Count == 1)
        {
            var factory = Activator.CreateInstance(factories[0], nonPublic: true)!;
            var create = factoryInterface.GetMethod(nameof(IDesignTimeDbContextFactory<DbContext>.CreateDbContext))!;
            return (DbContext)create.Invoke(factory, BindingFlags.DoNotWrapExceptions, binder: null, [args], culture: null)!;
        }

        var builder = (DbContextOptionsBuilder)Activator.CreateInstance(
            typeof(DbContextOptionsBuilder<>).MakeGenericType(ContextType))!;
        builder.UseNpgsql(DesignConnectionString);
        try
        {
            return (DbContext)Activator.CreateInstance(ContextType, builder.Options)!;
        }
        catch (MissingMethodException exception)
        {
            throw new InvalidOperationException(
                $"{ContextType.Name} has no constructor taking only DbContextOptions<{ContextType.Name}>; "
                + $"add an IDesignTimeDbContextFactory<{ContextType.Name}> to {Assembly.GetName().Name}.",
                exception);
        }
    }

    private static string? ReadRootNamespace(string projectFile)
    {
        var value = XDocument.Load(projectFile).Descendants()
            .FirstOrDefault(element => element.Name.LocalName == "RootNamespace")?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }
}

/// <summary>A command-line mistake: print the message and the usage.</summary>
internal sealed class UsageException(string message) : Exception(message);
