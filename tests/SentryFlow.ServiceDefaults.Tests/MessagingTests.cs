using System.Net;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SentryFlow.Testing;

namespace SentryFlow.ServiceDefaults.Tests;

public sealed class MessagingTests
{
    [Fact]
    public async Task Published_message_reaches_its_consumer_through_rabbitmq()
    {
        var servers = await TestServers.GetAsync();
        var connection = await servers.MessagingVirtualHostAsync($"defaults_{Guid.NewGuid():n}");
        var received = new TaskCompletionSource<PingSent>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await TestApp.StartAsync(
            new() { ["ConnectionStrings:messaging"] = connection },
            builder =>
            {
                builder.Services.AddSingleton(received);
                builder.AddSentryFlowMessaging(bus => bus.AddConsumer<PingConsumer>());
            });
        await app.GetTestClient().WaitForHealthyAsync();

        var sent = new PingSent(Guid.NewGuid());
        await app.Services.GetRequiredService<IBus>().Publish(sent);

        Assert.Equal(sent, await received.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Two_services_consuming_the_same_event_on_one_broker_each_receive_it()
    {
        var servers = await TestServers.GetAsync();
        var connection = await servers.MessagingVirtualHostAsync($"defaults_{Guid.NewGuid():n}");
        var services = new[] { "keys", "ratelimit" };
        var received = services.ToDictionary(s => s, _ => new TaskCompletionSource<PingSent>(TaskCreationOptions.RunContinuationsAsynchronously));
        var apps = new List<WebApplication>();
        try
        {
            foreach (var service in services)
            {
                var app = await TestApp.StartAsync(
                    new() { ["ConnectionStrings:messaging"] = connection, ["OTEL_SERVICE_NAME"] = service },
                    builder =>
                    {
                        builder.Services.AddSingleton(received[service]);
                        builder.AddSentryFlowMessaging(bus => bus.AddConsumer<PingConsumer>());
                    });
                apps.Add(app);
                await app.GetTestClient().WaitForHealthyAsync();
            }

            var sent = new PingSent(Guid.NewGuid());
            await apps[0].Services.GetRequiredService<IBus>().Publish(sent);

            foreach (var service in services)
            {
                Assert.Equal(sent, await received[service].Task.WaitAsync(TimeSpan.FromSeconds(30)));
            }
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Usage_telemetry_is_switched_off()
    {
        await using var app = await TestApp.StartAsync(
            new() { ["ConnectionStrings:messaging"] = $"amqp://guest:guest@127.0.0.1:{FreePort.Next()}" },
            builder => builder.AddSentryFlowMessaging());

        Assert.False(app.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }

    [Fact]
    public async Task Health_is_unhealthy_while_the_broker_cannot_be_reached()
    {
        // A port nothing listens on.
        var port = FreePort.Next();
        await using var app = await TestApp.StartAsync(
            new() { ["ConnectionStrings:messaging"] = $"amqp://guest:guest@127.0.0.1:{port}" },
            builder => builder.AddSentryFlowMessaging());
        using var client = app.GetTestClient();

        using var health = await client.GetAsync("/health");
        using var alive = await client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}

public sealed record PingSent(Guid Id);

public sealed class PingConsumer(TaskCompletionSource<PingSent> received) : IConsumer<PingSent>
{
    public Task Consume(ConsumeContext<PingSent> context)
    {
        received.TrySetResult(context.Message);
        return Task.CompletedTask;
    }
}
