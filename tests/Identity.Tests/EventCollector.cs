using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Identity.Tests;

/// <summary>A consumer on the service's RabbitMQ virtual host that keeps every identity event it receives.</summary>
public sealed class EventCollector :
    IConsumer<UserRegistered>, IConsumer<OrganizationCreated>, IConsumer<OrganizationDeleted>,
    IConsumer<ProjectCreated>, IConsumer<ProjectDeleted>, IConsumer<MembershipChanged>
{
    public static async Task<(IHost Host, ConcurrentQueue<object> Received)> StartAsync(IdentityFactory factory)
    {
        var received = new ConcurrentQueue<object>();
        var host = await BusConsumerHost.StartAsync(factory.ConnectionString(SentryFlowResources.Messaging),
            services => services.AddSingleton(received), bus => bus.AddConsumer<EventCollector>());
        return (host, received);
    }

    public EventCollector(ConcurrentQueue<object> received) => Received = received;

    private ConcurrentQueue<object> Received { get; }

    public Task Consume(ConsumeContext<UserRegistered> context) => Keep(context.Message);

    public Task Consume(ConsumeContext<OrganizationCreated> context) => Keep(context.Message);

    public Task Consume(ConsumeContext<OrganizationDeleted> context) => Keep(context.Message);

    public Task Consume(ConsumeContext<ProjectCreated> context) => Keep(context.Message);

    public Task Consume(ConsumeContext<ProjectDeleted> context) => Keep(context.Message);

    public Task Consume(ConsumeContext<MembershipChanged> context) => Keep(context.Message);

    private Task Keep(object message)
    {
        Received.Enqueue(message);
        return Task.CompletedTask;
    }
}
