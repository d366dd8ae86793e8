using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Alerting.Tests;

/// <summary>A consumer on alerting's RabbitMQ virtual host that keeps every alert event it receives.</summary>
public sealed class AlertEventCollector(ConcurrentQueue<object> received) :
    IConsumer<AlertFired>, IConsumer<AlertResolved>, IConsumer<AlertAcknowledged>
{
    public static async Task<(IHost Host, ConcurrentQueue<object> Received)> StartAsync(string messagingConnectionString)
    {
        var queue = new ConcurrentQueue<object>();
        var host = await BusConsumerHost.StartAsync(messagingConnectionString,
            services => services.AddSingleton(queue), bus => bus.AddConsumer<AlertEventCollector>());
        return (host, queue);
    }

    public Task Consume(ConsumeContext<AlertFired> context) => Keep(context.Message);

    public Task Consume(ConsumeContext<AlertResolved> context) => Keep(context.Message);

    public Task Consume(ConsumeContext<AlertAcknowledged> context) => Keep(context.Message);

    private Task Keep(object message)
    {
        received.Enqueue(message);
        return Task.CompletedTask;
    }
}
