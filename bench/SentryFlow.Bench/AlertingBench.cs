extern alias alerting;
extern alias analytics;

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SentryFlow.Contracts;
using SentryFlow.Contracts.Analytics;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;
using Xunit;
using AlertingProgram = alerting::Program;
using AnalyticsProgram = analytics::Program;
using AnalyticsRuleQueries = alerting::SentryFlow.Alerting.Evaluation.AnalyticsRuleQueries;

namespace SentryFlow.Bench;

/// <summary>
/// Time from an error-rate threshold crossed to the webhook received: the real analytics service fed over the bus,
/// alerting evaluating against it, a receiver on loopback. Each sample is a new project whose rule (error rate
/// &gt; 10 % over 5 min) already exists; traffic with 20 % 5xx is published at a random point of the evaluation
/// cycle. "Crossed" is the moment analytics first answers the rule query above the threshold; the goal is under
/// the evaluation interval + the rule's <c>for</c> + 2 s. The rule's group wait is 0: a group wait adds to this time.
/// </summary>
public static class AlertingBench
{
    private const int Samples = 5;

    public static async Task RunAsync()
    {
        await using var analyticsService = new ServiceFactory<AnalyticsProgram>();
        analyticsService.Settings["Logging:LogLevel:Default"] = "Warning";
        await ((IAsyncLifetime)analyticsService).InitializeAsync();
        analyticsService.CreateClient().Dispose();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration[$"ConnectionStrings:{SentryFlowResources.Messaging}"] = analyticsService.ConnectionString(SentryFlowResources.Messaging);
        builder.AddSentryFlowMessaging();
        using var publisher = builder.Build();
        await publisher.StartAsync();

        await using var receiver = await Receiver.StartAsync();
        Console.WriteLine("alerting: threshold crossed (analytics answers above it) -> webhook received");
        foreach (var (interval, forDuration) in new[] { (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)), (TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)) })
        {
            await using var alertingService = new ServiceFactory<AlertingProgram>();
            alertingService.Settings["Logging:LogLevel:Default"] = "Warning";
            alertingService.Settings["Alerting:EvaluationInterval"] = interval.ToString();
            alertingService.Settings["services:analytics:http:0"] = "http://localhost";
            alertingService.ConfigureTestServices = services =>
            {
                services.AddHttpClient<AnalyticsRuleQueries>().ConfigurePrimaryHttpMessageHandler(() => analyticsService.Server.CreateHandler());
            };
            await ((IAsyncLifetime)alertingService).InitializeAsync();
            alertingService.CreateClient().Dispose();

            var fromCrossed = new List<double>();
            var fromPublished = new List<double>();
            for (var sample = 0; sample < Samples; sample++)
            {
                var (crossed, published) = await SampleAsync(analyticsService, alertingService, publisher, receiver, interval, forDuration);
                fromCrossed.Add(crossed.TotalSeconds);
                fromPublished.Add(published.TotalSeconds);
            }

            var goal = interval + forDuration + TimeSpan.FromSeconds(2);
            Console.WriteLine(
                $"  interval {interval.TotalSeconds:F0} s, for {forDuration.TotalSeconds:F0} s: crossed -> webhook "
                + $"mean {fromCrossed.Average():F2} s, max {fromCrossed.Max():F2} s (goal < {goal.TotalSeconds:F0} s: {(fromCrossed.Max() < goal.TotalSeconds ? "met" : "MISSED")}); "
                + $"published -> webhook mean {fromPublished.Average():F2} s, max {fromPublished.Max():F2} s");
            Console.WriteLine($"    samples (crossed -> webhook, s): {string.Join(", ", fromCrossed.Select(s => s.ToString("F2")))}");
        }
    }

    private static async Task<(TimeSpan Crossed, TimeSpan Published)> SampleAsync(
        ServiceFactory<AnalyticsProgram> analyticsService, ServiceFactory<AlertingProgram> alertingService, IHost publisher,
        Receiver receiver, TimeSpan interval, TimeSpan forDuration)
    {
        var projectId = Guid.NewGuid();
        using var alertingClient = alertingService.CreateClient();
        alertingClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForProjects(OrganizationRole.Admin, projectId));
        using var created = await alertingClient.PostAsJsonAsync($"/api/projects/{projectId}/alerting/rules", new
        {
            name = "bench error rate",
            metric = "errorRate",
            windowSeconds = 300,
            condition = ">",
            threshold = 0.1,
            forSeconds = (int)forDuration.TotalSeconds,
            groupWaitSeconds = 0, // the group wait (30 s by default, to collect more alerts) adds to the latency
            channels = new[] { new { type = "webhook", url = $"{receiver.Url}/{projectId}", secret = "bench-secret" } },
        });
        created.EnsureSuccessStatusCode();
        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next((int)interval.TotalMilliseconds)) + interval);

        var now = DateTimeOffset.UtcNow;
        var records = Enumerable.Range(0, 100).Select(i => new RequestRecord(
            Guid.NewGuid(), null, now.AddMilliseconds(-i), "GET", "api.example.com", "/orders/1", "/orders/{id}", i < 20 ? 500 : 200, 12,
            null, 100, null, null, null, null, null, null, null, null, null, null)).ToList();
        var published = Stopwatch.GetTimestamp();
        await publisher.Services.GetRequiredService<IBus>().Publish(new RequestRecordsAccepted(Guid.NewGuid(), projectId, Guid.NewGuid(), now, records));

        using var analyticsClient = analyticsService.CreateClient();
        analyticsClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForService("bench"));
        var query = new RuleQueryRequest(RuleMetrics.ErrorRate, 300);
        while (true)
        {
            using var response = await analyticsClient.PostAsJsonAsync($"/internal/v1/projects/{projectId}/rule-query", query);
            if ((await response.Content.ReadFromJsonAsync<RuleQueryResponse>())!.Value > 0.1)
            {
                break;
            }

            await Task.Delay(10);
        }

        var crossed = Stopwatch.GetTimestamp();
        var arrived = await receiver.WaitAsync($"/{projectId}");
        return (Stopwatch.GetElapsedTime(crossed, arrived), Stopwatch.GetElapsedTime(published, arrived));
    }

    /// <summary>A webhook receiver on loopback that notes when each path was first posted to (a Stopwatch timestamp).</summary>
    private sealed class Receiver(WebApplication app) : IAsyncDisposable
    {
        private readonly Dictionary<string, TaskCompletionSource<long>> _arrivals = [];

        public string Url { get; private set; } = "";

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/{**path}", (HttpContext context) =>
            {
                var at = Stopwatch.GetTimestamp();
                receiver.Arrival(context.Request.Path).TrySetResult(at);
                return Results.Ok();
            });
            await app.StartAsync();
            receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return receiver;
        }

        public Task<long> WaitAsync(string path) => Arrival(path).Task.WaitAsync(TimeSpan.FromMinutes(2));

        public async ValueTask DisposeAsync() => await app.DisposeAsync();

        private TaskCompletionSource<long> Arrival(string path)
        {
            lock (_arrivals)
            {
                if (!_arrivals.TryGetValue(path, out var arrival))
                {
                    _arrivals[path] = arrival = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                return arrival;
            }
        }
    }
}
