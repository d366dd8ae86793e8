using System.Diagnostics;

namespace SentryFlow.Bench;

/// <summary>
/// The runtime settings the deployed hot-path services run with (services/HotPathRuntime.props, plus server GC, the
/// Web SDK's default). A bench hosts the services in its own process, so that process must run with them too: if it
/// does not, the bench runs itself again with them.
/// </summary>
public static class ServiceRuntime
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["DOTNET_TieredCompilation"] = "0",
        ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0",
        ["DOTNET_gcServer"] = "1",
    };

    /// <summary>True when this process already runs with the settings; otherwise runs the bench again with them and returns false.</summary>
    public static async Task<bool> EnsureAsync(string benchmark)
    {
        if (Settings.All(setting => Environment.GetEnvironmentVariable(setting.Key) == setting.Value))
        {
            return true;
        }

        var again = BenchProcess.StartInfo(benchmark);
        foreach (var (name, value) in Settings)
        {
            again.Environment[name] = value;
        }

        using var child = Process.Start(again)!;
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"the bench, run again with the services' runtime settings, exited with {child.ExitCode}");
        }

        return false;
    }
}
