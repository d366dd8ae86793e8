using Xunit;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Contracts;
using SentryFlow.ServiceDefaults.Messaging;

namespace SentryFlow.Testing;

/// <summary>
/// Ingest's dead-letter API lists and replays only the error queues it knows of (<see cref="SentryFlowQueues.WithErrorQueues"/>):
/// a service with consumers derives from this so each of its durable consumer queues is proved to be among them.
/// </summary>
public abstract class ConsumerQueueCoverageTests<TProgram>(ServiceFactory<TProgram> factory) where TProgram : class
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
