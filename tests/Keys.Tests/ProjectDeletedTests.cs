using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Keys.Tests;

public sealed class ProjectDeletedTests(KeysFactory factory) : IClassFixture<KeysFactory>
{
    [Fact]
    public async Task A_deleted_projects_keys_stop_verifying()
    {
        await factory.StartWithBusAsync();
        var client = new KeysClient(factory);
        var secret = (await client.CreateAsync(new { name = "orphan" })).GetProperty("secret").GetString()!;
        Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(secret)));

        // What identity publishes when the project is deleted, on the service's own virtual host.
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[$"ConnectionStrings:{SentryFlowResources.Messaging}"] = factory.ConnectionString(SentryFlowResources.Messaging);
        builder.AddSentryFlowMessaging();
        using var identity = builder.Build();
        await identity.StartAsync();
        await identity.Services.GetRequiredService<IBus>().Publish(new ProjectDeleted(client.ProjectId, Guid.NewGuid(), DateTimeOffset.UtcNow));

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (KeysClient.Code(await client.VerifyAsync(secret)) != "NOT_FOUND")
        {
            Assert.True(DateTime.UtcNow < deadline, "the key still verifies after its project was deleted");
            await Task.Delay(100);
        }

        await identity.StopAsync();
    }
}
