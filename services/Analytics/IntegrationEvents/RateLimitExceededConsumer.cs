using MassTransit;
using SentryFlow.Analytics.Signals;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Analytics.IntegrationEvents;

/// <summary>Counts rate-limit rejections per project and minute (of the last rejection) for alerting.</summary>
public sealed class RateLimitExceededConsumer(SignalWriter writer) : IConsumer<RateLimitExceeded>
{
    public Task Consume(ConsumeContext<RateLimitExceeded> context)
    {
        var message = context.Message;
        return writer.AddAsync(
            context.MessageId ?? NewId.NextGuid(),
            [new SignalCount(message.ProjectId, message.LastRejectedAt, SignalNames.RateLimitRejections, message.Rejected)],
            context.CancellationToken);
    }
}
