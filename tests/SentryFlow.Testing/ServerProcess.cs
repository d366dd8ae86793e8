using System.Diagnostics;
using SentryFlow.Hosting.LocalServers;

namespace SentryFlow.Testing;

/// <summary>
/// Starts a local server's command (from <c>SentryFlow.Hosting.LocalServers</c>, the recipes the AppHost's resources
/// run) as a process of its own session, its console output going to a log file, so it outlives the test process that
/// started it and serves the test processes running beside it.
/// </summary>
public static class ServerProcess
{
    // `exec` keeps one PID from sh to the server: sh becomes setsid, which becomes the server. The new session keeps
    // a terminal's Ctrl+C away from it, so the last test process stops it in order.
    private const string Launcher = "exec setsid \"$@\" >\"$SERVER_LOG\" 2>&1 </dev/null";

    public static int Start(ServerCommand command, string logPath, string stateRoot, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(logPath)! };
        foreach (var argument in (string[])["-c", Launcher, "sh", command.FileName, .. command.Arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment["SERVER_LOG"] = logPath;
        startInfo.Environment[StateDirectory.ProcessVariable] = stateRoot;
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {command.FileName}.");
        return process.Id;
    }
}
