using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Contracts;
using SentryFlow.ServiceDefaults.Messaging;
using SentryFlow.Testing;

namespace SentryFlow.RateLimit.Tests;

/// <summary>Ingest's dead-letter API lists and replays only the error queues it knows of: RateLimit's must be among them.</summary>
public sealed class ErrorQueueCoverageTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task Every_durable_consumer_queue_is_one_whose_error_queue_can_be_replayed()
    {
        await factory.StartWithBusAsync();

        var queues = factory.Services.GetRequiredService<ConsumerQueues>().Names;

        Assert.NotEmpty(queues);
        Assert.Subset(SentryFlowQueues.WithErrorQueues.ToHashSet(), queues.ToHashSet());
    }
}
