using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Identity.Tests;

/// <summary>A consumer on the service's RabbitMQ virtual host that keeps every identity event it receives.</summary>
public sealed class EventCollector :
    IConsumer<UserRegistered>, IConsumer<OrganizationCreated>, IConsumer<OrganizationDeleted>,
    IConsumer<ProjectCreated>, IConsumer<ProjectDeleted>, IConsumer<MembershipChanged>
{
    public static async Task<(IHost Host, ConcurrentQueue<object> Received)> StartAsync(IdentityFactory factory)
    {
        var received = new ConcurrentQueue<object>();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[$"ConnectionStrings:{SentryFlowResources.Messaging}"] = factory.ConnectionString(SentryFlowResources.Messaging);
        builder.Services.AddSingleton(received);
        builder.AddSentryFlowMessaging(bus => bus.AddConsumer<EventCollector>());
        var host = builder.Build();
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IBusControl>();
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
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
