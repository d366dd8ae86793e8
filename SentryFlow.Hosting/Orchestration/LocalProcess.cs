using System.Diagnostics;
using SentryFlow.Hosting.ApplicationModel;

namespace SentryFlow.Hosting.Orchestration;

/// <summary>Launches a resource's process in a session of its own, its console output going to a log file.</summary>
public static class LocalProcess
{
    // `exec` keeps one PID from sh to the server: sh becomes setsid, which becomes the server. The new
    // session keeps a terminal's Ctrl+C away from the children, so the AppHost stops them in order.
    private const string Launcher = "exec setsid \"$@\" >\"$SENTRYFLOW_CONSOLE_LOG\" 2>&1 </dev/null";

    /// <summary>Names the log file in the child's environment, which also tells a later run that a PID is one of ours.</summary>
    public const string LogVariable = "SENTRYFLOW_CONSOLE_LOG";

    public static Process Start(ProcessSpec spec, string logPath)
    {
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in (string[])["-c", Launcher, "sh", spec.FileName, .. spec.Arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment[LogVariable] = logPath;
        return Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {spec.FileName}.");
    }
}
