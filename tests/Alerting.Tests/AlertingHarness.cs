extern alias analytics;

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SentryFlow.Alerting.Destinations;
using SentryFlow.Alerting.Evaluation;
using SentryFlow.Contracts;
using SentryFlow.Contracts.Analytics;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Testing;
using AnalyticsProgram = analytics::Program;

namespace SentryFlow.Alerting.Tests;

/// <summary>
/// The real analytics service and alerting pointed at it (its analytics client goes to analytics' in-process server),
/// evaluating every second; and a publisher of traffic into analytics. Shared by the tests of a class: every test
/// works in its own project.
/// </summary>
public sealed class AlertingHarness : IAsyncLifetime
{
    public static readonly TimeSpan EvaluationInterval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan GroupInterval = TimeSpan.FromSeconds(1);

    public ServiceFactory<AnalyticsProgram> Analytics { get; } = new();

    public ServiceFactory<Program> Alerting { get; } = new();

    public TrafficPublisher Traffic { get; private set; } = null!;

    /// <summary>What the alerting instance logs.</summary>
    public LogCollector Logs { get; } = new();

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Analytics).InitializeAsync();
        await Analytics.StartWithBusAsync(); // its consumers' queues bound before traffic is published
        await ((IAsyncLifetime)Alerting).InitializeAsync();
        Configure(Alerting);
        await Alerting.StartWithBusAsync();
        Traffic = await TrafficPublisher.StartAsync(Analytics.ConnectionString(SentryFlowResources.Messaging));
    }

    /// <summary>A second alerting instance on the same database (started by the caller).</summary>
    public ServiceFactory<Program> Sibling()
    {
        var sibling = ServiceFactory<Program>.SiblingOf(Alerting);
        Configure(sibling);
        return sibling;
    }

    public HttpClient Client(OrganizationRole role, Guid projectId)
    {
        var http = Alerting.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForProjects(role, projectId));
        return http;
    }

    /// <summary>Publishes traffic and waits until analytics has it all (the project's total in the last 10 minutes).</summary>
    public async Task SendTrafficAsync(Guid projectId, int ok, int failed, string route = "/orders/{id}", double? durationMs = null)
    {
        var before = await RequestCountAsync(projectId);
        await Traffic.PublishAsync(projectId, ok, failed, route, durationMs);
        await Eventually.TrueAsync(async () => await RequestCountAsync(projectId) == before + ok + failed, "analytics stores the traffic");
    }

    public async Task DisposeAsync()
    {
        await Traffic.DisposeAsync();
        await Alerting.DisposeAsync();
        await Analytics.DisposeAsync();
    }

    private async Task<double?> RequestCountAsync(Guid projectId)
    {
        using var http = Analytics.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForService("alerting"));
        using var response = await http.PostAsJsonAsync($"/internal/v1/projects/{projectId}/rule-query", new RuleQueryRequest(RuleMetrics.RequestCount, 600));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RuleQueryResponse>())!.Value;
    }

    private void Configure(ServiceFactory<Program> alerting)
    {
        alerting.Settings["Alerting:EvaluationInterval"] = EvaluationInterval.ToString();
        alerting.Settings["Alerting:DeliveryRetryDelay"] = "00:00:00.100";
        // Notify at once and report changes within a second; a rule sets its own timings to test grouping.
        alerting.Settings["Alerting:GroupWait"] = "00:00:00";
        alerting.Settings["Alerting:GroupInterval"] = GroupInterval.ToString();
        alerting.Settings["services:analytics:http:0"] = "http://localhost";
        // Receivers in these tests listen on loopback, which alerting refuses unless the operator allows it.
        alerting.Settings["Alerting:Destinations:Allow:0"] = "127.0.0.1";
        alerting.ConfigureTestServices = services =>
        {
            services.AddHttpClient<AnalyticsRuleQueries>().ConfigurePrimaryHttpMessageHandler(() => Analytics.Server.CreateHandler());
            services.AddSingleton<HostResolver, TestHostResolver>();
            services.AddSingleton<ILoggerProvider>(Logs);
        };
    }
}

/// <summary>Waits for a condition, polling; fails with what was awaited after 30 s.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(seconds), $"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }

    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string what, int seconds = 30)
    {
        T? value = default;
        await TrueAsync(async () => (value = await probe()) is not null, what, seconds);
        return value!;
    }
}
