using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using SentryFlow.Hosting.LocalServers;
using SentryFlow.Testing;

namespace SentryFlow.ServiceDefaults.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_endpoint_passes_promtool_check()
    {
        await DebianPackages.EnsureInstalledAsync([new DebianPackage("prometheus", "/usr/bin/promtool")], _ => { }, CancellationToken.None);
        await using var app = await TestApp.StartAsync([], configureApp: app => app.MapGet("/hello", () => "hi"));
        using var client = app.GetTestClient();
        await client.GetAsync("/hello");

        var metrics = await client.GetStringAsync("/metrics");

        Assert.Contains("http_server_request_duration_seconds_bucket", metrics);
        var (exitCode, output) = await PromtoolCheckAsync(metrics);
        Assert.True(exitCode == 0, output);
    }

    private static async Task<(int ExitCode, string Output)> PromtoolCheckAsync(string metrics)
    {
        var startInfo = new ProcessStartInfo("/usr/bin/promtool", ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo)!;
        await process.StandardInput.WriteAsync(metrics);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
