using MassTransit;
using SentryFlow.Analytics.Caching;
using SentryFlow.Analytics.Live;
using SentryFlow.Analytics.Storage;
using SentryFlow.Contracts;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Analytics.IntegrationEvents;

/// <summary>
/// Stores what ingest accepted (queue <c>analytics-request-records</c>), up to <see cref="MessageLimit"/> messages in
/// one transaction: a transaction's fixed costs (staging tables, the roll-up rows and marks every batch of a minute
/// shares) are paid once per group, not once per 500 records. A failure is retried (the whole group; stored records
/// are recognised and not counted again), then dead-lettered. A batch whose data PostgreSQL refuses is dead-lettered
/// alone, at once, and the rest of its group stored (<see cref="GroupWriter"/>): one tenant's poison never takes
/// other tenants' records with it.
/// </summary>
public sealed class RequestRecordsAcceptedConsumer(GroupWriter writer, QueryCache cache, LivePublisher live) : IConsumer<Batch<RequestRecordsAccepted>>
{
    /// <summary>
    /// The most messages stored together (ingest publishes up to 500 records a message): 25,000 records, whose
    /// roll-up rows overlap more than 10,000 records' do, so fewer upserts per record.
    /// </summary>
    public const int MessageLimit = 50;

    /// <summary>Groups stored at once (the service's database work is the bound; two suit two cores).</summary>
    public const int ConcurrencyLimit = 2;

    /// <summary>How long a group waits to fill once its first message arrived.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(20);

    public async Task Consume(ConsumeContext<Batch<RequestRecordsAccepted>> context)
    {
        var batches = context.Message.Select(m => m.Message).ToList();
        var outcomes = await writer.WriteAsync(batches, context.CancellationToken);

        // After the commit: cached answers over the minutes written are not served again, and the live streams get
        // only what this delivery stored (a redelivered batch is not shown twice).
        for (var i = 0; i < batches.Count; i++)
        {
            if (outcomes[i].Failure is { } failure)
            {
                await DeadLetterAsync(context.Message[i], failure, context.CancellationToken);
                continue;
            }

            cache.MarkWritten(batches[i], outcomes[i].Stored);
            await live.PublishAsync(batches[i], outcomes[i].Stored, context.CancellationToken);
        }
    }

    /// <summary>
    /// Moves one message to the queue's error queue as MassTransit moves a faulted one (same message id and fault
    /// headers), so ingest's dead-letter API lists it with its error and can replay it.
    /// </summary>
    private static async Task DeadLetterAsync(ConsumeContext<RequestRecordsAccepted> message, Exception failure, CancellationToken cancellationToken)
    {
        var errors = await message.GetSendEndpoint(new Uri($"queue:{SentryFlowQueues.ErrorQueue(SentryFlowQueues.AnalyticsRequestRecords)}"));
        await errors.Send(message.Message, send =>
        {
            send.MessageId = message.MessageId;
            send.Headers.Set(MessageHeaders.Reason, "fault");
            send.Headers.Set(MessageHeaders.FaultExceptionType, failure.GetType().FullName);
            send.Headers.Set(MessageHeaders.FaultMessage, failure.Message);
        }, cancellationToken);
    }
}
