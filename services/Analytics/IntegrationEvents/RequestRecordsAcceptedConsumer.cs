using MassTransit;
using SentryFlow.Analytics.Storage;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Analytics.IntegrationEvents;

/// <summary>Stores what ingest accepted (queue <c>analytics-request-records</c>); a failure is retried, then dead-lettered.</summary>
public sealed class RequestRecordsAcceptedConsumer(RecordWriter writer) : IConsumer<RequestRecordsAccepted>
{
    public Task Consume(ConsumeContext<RequestRecordsAccepted> context) => writer.WriteAsync(context.Message, context.CancellationToken);
}
