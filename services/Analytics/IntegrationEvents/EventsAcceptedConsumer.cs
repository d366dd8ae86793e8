using MassTransit;
using SentryFlow.Analytics.Storage;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Analytics.IntegrationEvents;

/// <summary>Stores the generic events ingest accepted (queue <c>analytics-events</c>).</summary>
public sealed class EventsAcceptedConsumer(EventWriter writer) : IConsumer<EventsAccepted>
{
    public Task Consume(ConsumeContext<EventsAccepted> context) => writer.WriteAsync(context.Message, context.CancellationToken);
}
