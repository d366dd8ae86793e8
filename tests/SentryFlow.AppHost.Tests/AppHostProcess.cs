using System.Diagnostics;
using System.Text;
using System.Text.Json;
using SentryFlow.Testing;

namespace SentryFlow.AppHost.Tests;

/// <summary>
/// The built AppHost run as a child process with its <c>http</c> launch profile's settings, as
/// <c>dotnet run --project SentryFlow.AppHost</c> runs it, its output captured for assertions.
/// </summary>
public sealed partial class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppHostProcess(Process process, string stateDirectory, string dashboardApiKey)
    {
        _process = process;
        StateDirectory = stateDirectory;
        DashboardApiKey = dashboardApiKey;
    }

    public string StateDirectory { get; }

    public int ProcessId => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The key of the dashboard's telemetry API (<c>AppHost:DashboardApiKey</c>), chosen by the test.</summary>
    public string DashboardApiKey { get; }

    public static AppHostProcess Start(string stateDirectory)
    {
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.Combine(Repository.Root, "SentryFlow.AppHost"),
        };
        foreach (var argument in (string[])[Repository.AppHostAssembly, "--state-dir", stateDirectory])
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in LaunchProfile())
        {
            startInfo.Environment[name] = value;
        }

        var dashboardApiKey = Guid.NewGuid().ToString("n");
        startInfo.Environment["AppHost__DashboardApiKey"] = dashboardApiKey;
        // The demo is switched off as a user would (it is on by default): the lifecycle checks SentryFlow's own resources.
        startInfo.Environment["Demo__Enabled"] = "false";
        var process = Process.Start(startInfo)!;
        var host = new AppHostProcess(process, stateDirectory, dashboardApiKey);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>The environment <c>dotnet run</c> gives the AppHost from the <c>http</c> profile of its launchSettings.json.</summary>
    private static Dictionary<string, string> LaunchProfile()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "SentryFlow.AppHost", "Properties", "launchSettings.json")));
        var profile = settings.RootElement.GetProperty("profiles").GetProperty("http");
        var environment = profile.GetProperty("environmentVariables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        environment["ASPNETCORE_URLS"] = profile.GetProperty("applicationUrl").GetString()!;
        // The profile's fixed ports on free ones, so a developer's running AppHost does not fail the test.
        foreach (var (name, value) in environment.ToArray())
        {
            environment[name] = FixedPort().Replace(value, _ => $"127.0.0.1:{FreePort.Next()}");
        }

        return environment;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"127\.0\.0\.1:\d+")]
    private static partial System.Text.RegularExpressions.Regex FixedPort();

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>Waits until the output holds <paramref name="text"/>; fails with the output when it does not come.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new TimeoutException($"The AppHost never printed '{text}' (exited: {_process.HasExited}). Its output:\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    public void Terminate() => Hosting.LocalServers.ProcessSignals.Send(_process.Id, Hosting.LocalServers.ProcessSignals.SIGTERM);

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Every live process the AppHost started: its descendants (DCP, the dashboard, the services) and the local servers,
    /// which carry the state folder in their environment (so one that left its parent is still found).
    /// </summary>
    public IReadOnlyList<LinuxProcess> StartedProcesses()
    {
        var all = LinuxProcess.All();
        var ours = new HashSet<int> { _process.Id };
        bool grew;
        do
        {
            grew = false;
            foreach (var process in all.Where(p => !ours.Contains(p.Id) && (ours.Contains(p.ParentId) || p.HasEnvironment(Hosting.LocalServers.StateDirectory.ProcessVariable, StateDirectory))))
            {
                grew |= ours.Add(process.Id);
            }
        }
        while (grew);

        ours.Remove(_process.Id);
        return [.. all.Where(p => ours.Contains(p.Id))];
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Terminate();
            if (!await WaitForExitAsync(TimeSpan.FromSeconds(60)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
