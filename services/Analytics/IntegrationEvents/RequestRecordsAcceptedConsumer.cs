using MassTransit;
using SentryFlow.Analytics.Live;
using SentryFlow.Analytics.Storage;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Analytics.IntegrationEvents;

/// <summary>Stores what ingest accepted (queue <c>analytics-request-records</c>); a failure is retried, then dead-lettered.</summary>
public sealed class RequestRecordsAcceptedConsumer(RecordWriter writer, LivePublisher live) : IConsumer<RequestRecordsAccepted>
{
    public async Task Consume(ConsumeContext<RequestRecordsAccepted> context)
    {
        var stored = await writer.WriteAsync(context.Message, context.CancellationToken);

        // After the commit, and only what this delivery stored: a redelivered batch is not shown twice.
        await live.PublishAsync(context.Message, stored, context.CancellationToken);
    }
}
