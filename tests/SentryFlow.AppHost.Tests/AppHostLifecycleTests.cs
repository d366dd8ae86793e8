using System.Net;
using System.Text.RegularExpressions;
using SentryFlow.Hosting.Orchestration;
using SentryFlow.Testing;

namespace SentryFlow.AppHost.Tests;

/// <summary>The README's first command, end to end: everything healthy, failures reported, nothing left behind.</summary>
public sealed class AppHostLifecycleTests
{
    private static readonly string[] Services = ["identity", "keys", "ratelimit", "ingest", "analytics", "alerting"];

    [Fact]
    public async Task AppHost_runs_everything_healthy_reports_a_killed_service_and_leaves_nothing_behind_on_SIGTERM()
    {
        var state = Path.Combine(Path.GetTempPath(), $"sentryflow-apphost-{Guid.NewGuid():n}");
        var appHost = AppHostProcess.Start(state);
        try
        {
            await appHost.WaitForOutputAsync("All resources are running.", TimeSpan.FromMinutes(5));

            // Every service answers /health with 200 at the URL the table shows.
            using var http = new HttpClient();
            foreach (var service in Services)
            {
                var url = ServiceUrl(appHost.Output, service);
                using var response = await http.GetAsync($"{url}/health");
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{service} /health answered {response.StatusCode}");
            }

            // A service killed by hand is reported within seconds, with its last lines.
            var victim = int.Parse(await File.ReadAllTextAsync(Path.Combine(state, "alerting", "process.pid")));
            ProcessSignals.Send(victim, ProcessSignals.SIGKILL);
            await appHost.WaitForOutputAsync("alerting EXITED unexpectedly", TimeSpan.FromSeconds(5));

            // SIGTERM stops everything it started, and removes its lock file.
            appHost.Signal(ProcessSignals.SIGTERM);
            Assert.True(await appHost.WaitForExitAsync(TimeSpan.FromSeconds(90)), appHost.Output);
            Assert.Empty(appHost.LeftoverProcesses());
            Assert.False(File.Exists(Path.Combine(state, "apphost.lock")));
        }
        finally
        {
            await appHost.DisposeAsync();
            Directory.Delete(state, recursive: true);
        }
    }

    private static string ServiceUrl(string output, string service)
    {
        var match = Regex.Match(output, $@"^{service}\s+Project\s+Running\s+(http://127\.0\.0\.1:\d+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"No running row for {service} in the resource table:\n{output}");
        return match.Groups[1].Value;
    }
}
