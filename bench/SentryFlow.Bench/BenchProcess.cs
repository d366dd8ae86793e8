using System.Diagnostics;

namespace SentryFlow.Bench;

/// <summary>Starts this bench again as a process of its own, with other arguments.</summary>
public static class BenchProcess
{
    public static ProcessStartInfo StartInfo(params string[] arguments)
    {
        // Run as `dotnet SentryFlow.Bench.dll` the process is dotnet and needs the assembly; run by its apphost it does not.
        var host = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? new ProcessStartInfo(host, [Environment.GetCommandLineArgs()[0], .. arguments])
            : new ProcessStartInfo(host, arguments);
    }
}
