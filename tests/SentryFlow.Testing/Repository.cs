using System.Reflection;

namespace SentryFlow.Testing;

/// <summary>Paths in the checkout the tests run from.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with; the AppHost was built with the same one.</summary>
    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string AppHostAssembly =>
        Path.Combine(Root, "SentryFlow.AppHost", "bin", Configuration, "net10.0", "SentryFlow.AppHost.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SentryFlow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No SentryFlow.sln above {AppContext.BaseDirectory}.");
    }
}
