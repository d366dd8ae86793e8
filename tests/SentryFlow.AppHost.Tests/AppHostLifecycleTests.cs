using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SentryFlow.Contracts;

namespace SentryFlow.AppHost.Tests;

/// <summary>
/// The README's first command, as a user runs it: the dashboard's login URL printed, every resource running and
/// healthy, every service's traces in the dashboard, nothing listening beyond loopback, and nothing left after SIGTERM.
/// </summary>
[Collection(AppHostProcessCollection.Name)]
public sealed partial class AppHostLifecycleTests
{
    [Fact]
    public async Task AppHost_serves_the_dashboard_with_every_service_traced_on_loopback_only_and_leaves_nothing_after_SIGTERM()
    {
        var state = Path.Combine(Path.GetTempPath(), $"sentryflow-apphost-{Guid.NewGuid():n}");
        var appHost = AppHostProcess.Start(state);
        try
        {
            await appHost.WaitForOutputAsync(ResourceStatusLogLine, TimeSpan.FromMinutes(5));

            // The login URL with its token, over plain HTTP on 127.0.0.1 (no developer certificate).
            var login = LoginUrl().Match(appHost.Output);
            Assert.True(login.Success, appHost.Output);
            using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() });
            using (var page = await browser.GetAsync(login.Value))
            {
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            }

            using (var resources = await browser.GetAsync($"{login.Groups["dashboard"].Value}/"))
            {
                Assert.Equal(HttpStatusCode.OK, resources.StatusCode);
            }

            // Every service answers (a request makes a trace), and its traces reach the dashboard.
            using var http = new HttpClient();
            foreach (var service in SentryFlowResources.Services)
            {
                using var health = await http.GetAsync($"{ServiceUrl(appHost.Output, service)}/health");
                Assert.True(health.StatusCode == HttpStatusCode.OK, $"{service} /health answered {health.StatusCode}");
                using var _ = await http.GetAsync($"{ServiceUrl(appHost.Output, service)}/openapi/v1.json");
            }

            var started = appHost.StartedProcesses();
            await AssertEveryServiceTracedAsync(login.Groups["dashboard"].Value, appHost.DashboardApiKey);

            // Nothing the AppHost started listens beyond loopback (epmd and RabbitMQ's distribution port included).
            var listeners = started.SelectMany(p => p.ListeningEndpoints().Select(endpoint => (Process: p, Endpoint: endpoint))).ToArray();
            Assert.Contains(listeners, l => l.Process.CommandLine.Contains("epmd"));
            Assert.All(listeners, l => Assert.True(IPAddress.IsLoopback(l.Endpoint.Address), $"{l.Process.CommandLine} listens on {l.Endpoint}"));

            // SIGTERM (what Ctrl+C or a supervisor sends) stops everything it started, and PostgreSQL shuts down cleanly.
            appHost.Terminate();
            Assert.True(await appHost.WaitForExitAsync(TimeSpan.FromSeconds(60)), appHost.Output);
            var deadline = DateTime.UtcNow.AddSeconds(45);
            while (started.Any(p => p.IsAlive) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }

            Assert.Empty(started.Where(p => p.IsAlive).Select(p => $"{p.Id} {p.CommandLine}"));
            Assert.Equal("shut down", await ClusterStateAsync(Path.Combine(state, SentryFlowResources.Postgres, "data")));
        }
        finally
        {
            await appHost.DisposeAsync();
            Directory.Delete(state, recursive: true);
        }
    }

    private const string ResourceStatusLogLine = "All resources are running and healthy.";

    [GeneratedRegex(@"(?<dashboard>http://127\.0\.0\.1:\d+)/login\?t=\w+")]
    private static partial Regex LoginUrl();

    private static string ServiceUrl(string output, string service)
    {
        var match = Regex.Match(output, $@"^\s*{service}: Running \(Healthy\) (http://localhost:\d+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"No running row with a URL for {service}:\n{output}");
        return match.Groups[1].Value;
    }

    /// <summary>Reads the dashboard's telemetry API with the key the AppHost was given for it.</summary>
    private static async Task AssertEveryServiceTracedAsync(string dashboard, string apiKey)
    {
        using var api = new HttpClient { BaseAddress = new Uri(dashboard) };
        api.DefaultRequestHeaders.Add("x-api-key", apiKey);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        var untraced = SentryFlowResources.Services.ToList();
        while (untraced.Count > 0 && DateTime.UtcNow < deadline)
        {
            foreach (var service in untraced.ToArray())
            {
                using var spans = await api.GetAsync($"/api/telemetry/spans?resource={service}&limit=5");
                if (spans.StatusCode == HttpStatusCode.OK
                    && (await spans.Content.ReadFromJsonAsync<JsonElement>()).ToString().Contains("\"spanId\"", StringComparison.Ordinal))
                {
                    untraced.Remove(service);
                }
            }

            await Task.Delay(500);
        }

        Assert.Empty(untraced);
    }

    private static async Task<string> ClusterStateAsync(string dataDirectory)
    {
        using var process = Process.Start(new ProcessStartInfo("/usr/lib/postgresql/15/bin/pg_controldata", [dataDirectory]) { RedirectStandardOutput = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return Regex.Match(output, @"Database cluster state:\s+(.+)").Groups[1].Value.Trim();
    }
}
