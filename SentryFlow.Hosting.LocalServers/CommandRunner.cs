using System.Diagnostics;

namespace SentryFlow.Hosting.LocalServers;

/// <summary>Runs a short set-up command (initdb, chown) to completion.</summary>
internal static class CommandRunner
{
    public static Task RunAsync(ServerCommand command, CancellationToken cancellationToken) =>
        RunAsync(command.FileName, command.Arguments, cancellationToken);

    public static async Task RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', startInfo.ArgumentList)} failed with exit code {process.ExitCode}:\n{await output}{await error}");
        }
    }
}
