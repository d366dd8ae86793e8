using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>Plays ingest: publishes accepted batches on the factory's own virtual host.</summary>
public sealed class RecordPublisher : IAsyncDisposable
{
    private readonly IHost _host;

    private RecordPublisher(IHost host) => _host = host;

    /// <summary>Starts the factory's service (its queues bound) and a publisher on its virtual host.</summary>
    public static async Task<RecordPublisher> StartAsync(ServiceFactory<Program> factory)
    {
        await factory.StartWithBusAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[$"ConnectionStrings:{SentryFlowResources.Messaging}"] = factory.ConnectionString(SentryFlowResources.Messaging);
        builder.AddSentryFlowMessaging();
        var host = builder.Build();
        await host.StartAsync();
        return new RecordPublisher(host);
    }

    public Task PublishAsync(RequestRecordsAccepted batch) => _host.Services.GetRequiredService<IBus>().Publish(batch);

    public Task PublishAsync(EventsAccepted batch) => _host.Services.GetRequiredService<IBus>().Publish(batch);

    /// <summary>Publishes any event under a chosen message id (publishing it twice plays a redelivery).</summary>
    public Task PublishAsync<T>(T message, Guid messageId) where T : class =>
        _host.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = messageId);

    /// <summary>Publishes <paramref name="records"/> as ingest would: one message per 500.</summary>
    public async Task<IReadOnlyList<RequestRecordsAccepted>> PublishAsync(Guid projectId, IReadOnlyList<RequestRecord> records)
    {
        var batches = records.Chunk(500).Select(chunk => new RequestRecordsAccepted(Guid.NewGuid(), projectId, Guid.NewGuid(), DateTimeOffset.UtcNow, chunk)).ToList();
        foreach (var batch in batches)
        {
            await PublishAsync(batch);
        }

        return batches;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
