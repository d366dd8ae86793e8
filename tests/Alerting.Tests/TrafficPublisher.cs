using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Alerting.Tests;

/// <summary>Plays ingest for the analytics service under test: publishes accepted request records on its virtual host.</summary>
public sealed class TrafficPublisher : IAsyncDisposable
{
    private readonly IHost _host;

    private TrafficPublisher(IHost host) => _host = host;

    public static async Task<TrafficPublisher> StartAsync(string messagingConnectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[$"ConnectionStrings:{SentryFlowResources.Messaging}"] = messagingConnectionString;
        builder.AddSentryFlowMessaging();
        var host = builder.Build();
        await host.StartAsync();
        return new TrafficPublisher(host);
    }

    /// <summary>
    /// Publishes <paramref name="ok"/> 200s and <paramref name="failed"/> 500s on <paramref name="route"/>, all in the last
    /// few seconds, each taking <paramref name="durationMs"/> (default 10 to 59 ms).
    /// </summary>
    public async Task PublishAsync(Guid projectId, int ok, int failed, string route = "/orders/{id}", double? durationMs = null)
    {
        var now = DateTimeOffset.UtcNow;
        var records = Enumerable.Range(0, ok + failed).Select(i => new RequestRecord(
            Guid.NewGuid(), null, now.AddMilliseconds(-i), "GET", "api.example.com", route.Replace("{id}", i.ToString(), StringComparison.Ordinal), route,
            i < failed ? 500 : 200, durationMs ?? 10 + (i % 50), null, 100, "customer-1", null, null, null, null, null, null, null, null, null)).ToList();
        foreach (var chunk in records.Chunk(500))
        {
            await _host.Services.GetRequiredService<IBus>().Publish(new RequestRecordsAccepted(Guid.NewGuid(), projectId, Guid.NewGuid(), now, chunk));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
