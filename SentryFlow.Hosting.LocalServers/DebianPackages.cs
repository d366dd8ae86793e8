using System.Diagnostics;

namespace SentryFlow.Hosting.LocalServers;

/// <summary>Installs the Debian packages the local servers come from, when they are missing.</summary>
public static class DebianPackages
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task EnsureInstalledAsync(IEnumerable<DebianPackage> packages, Action<string> log, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var missing = packages.Where(p => !File.Exists(p.ProbePath)).Select(p => p.Name).Distinct().ToArray();
            if (missing.Length == 0)
            {
                return;
            }

            var command = $"apt-get install -y --no-install-recommends {string.Join(' ', missing)}";
            if (!ProcessSignals.IsRoot)
            {
                throw new InvalidOperationException(
                    $"Missing Debian packages: {string.Join(", ", missing)}. Install them with: sudo {command}");
            }

            log($"installing {string.Join(", ", missing)} from Debian's packages (apt-get)...");
            // The package lists may be missing or stale on a fresh machine: refresh them once and retry.
            string[] install = ["install", "-y", "--no-install-recommends", .. missing];
            var failure = await AptGetAsync(install, cancellationToken);
            if (failure is not null)
            {
                failure = await AptGetAsync(["update"], cancellationToken) ?? await AptGetAsync(install, cancellationToken);
            }

            if (failure is not null)
            {
                throw new InvalidOperationException($"Could not install {string.Join(", ", missing)} ({failure.Trim()}); try by hand: {command}");
            }

            var stillMissing = packages.Where(p => !File.Exists(p.ProbePath)).Select(p => p.ProbePath).ToArray();
            if (stillMissing.Length > 0)
            {
                throw new InvalidOperationException($"Installed the packages, but {string.Join(", ", stillMissing)} is still missing.");
            }

            log("installed.");
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <returns>Null on success, else apt-get's error output.</returns>
    private static async Task<string?> AptGetAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("apt-get")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" },
        };
        // Wait for dpkg's lock rather than fail when another installer (a parallel test run) holds it.
        foreach (var argument in (string[])["-o", "DPkg::Lock::Timeout=300", .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await output;
        return process.ExitCode == 0 ? null : $"apt-get {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}";
    }
}
