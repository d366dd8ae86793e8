using System.ComponentModel;
using System.Diagnostics;
using Xunit;

namespace SentryFlow.Testing;

/// <summary>
/// Prometheus's own linter (<c>promtool check metrics</c>, from Debian's <c>prometheus</c> package, which .ci/run
/// installs) run on a service's <c>/metrics</c> text: names in snake_case, counters ending in <c>_total</c>, base units
/// (seconds, bytes) with their suffix, help on every metric. A missing promtool fails the test: a linter that is
/// skipped checks nothing.
/// </summary>
public static class Promtool
{
    public const string Path = "/usr/bin/promtool";

    /// <summary>promtool's findings on <paramref name="exposition"/> (empty when it passes).</summary>
    public static async Task<string> CheckMetricsAsync(string exposition)
    {
        Assert.True(File.Exists(Path),
            $"{Path} is missing: take it from Debian's prometheus package (.ci/run does: apt-get download prometheus, then extract usr/bin/promtool).");
        var startInfo = new ProcessStartInfo(Path)
        {
            ArgumentList = { "check", "metrics" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo) ?? throw new Win32Exception($"Could not start {Path}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var findings = ((await output) + (await error)).Trim();
        return process.ExitCode == 0 ? findings : $"promtool exited with {process.ExitCode}: {findings}";
    }
}
