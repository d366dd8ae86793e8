using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts;

namespace SentryFlow.Testing;

/// <summary>
/// A host of its own on a service's RabbitMQ virtual host, running the given consumers: how tests and benches watch
/// (or stand in for) what is downstream of a service. Returned started and connected.
/// </summary>
public static class BusConsumerHost
{
    public static async Task<IHost> StartAsync(
        string messagingConnectionString, Action<IServiceCollection> services, Action<IBusRegistrationConfigurator> consumers)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[$"ConnectionStrings:{SentryFlowResources.Messaging}"] = messagingConnectionString;
        services(builder.Services);
        builder.AddSentryFlowMessaging(consumers);
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return host;
    }
}
