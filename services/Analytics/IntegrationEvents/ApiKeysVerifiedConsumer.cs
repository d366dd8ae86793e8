using MassTransit;
using SentryFlow.Analytics.Signals;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Analytics.IntegrationEvents;

/// <summary>Counts failed key verifications (any outcome but <c>VALID</c>) per project, in the minute the summary ends.</summary>
public sealed class ApiKeysVerifiedConsumer(SignalWriter writer) : IConsumer<ApiKeysVerified>
{
    public const string ValidOutcome = "VALID";

    public Task Consume(ConsumeContext<ApiKeysVerified> context)
    {
        var message = context.Message;
        return writer.AddAsync(
            context.MessageId ?? NewId.NextGuid(),
            message.Counts
                .Where(c => !string.Equals(c.Outcome, ValidOutcome, StringComparison.Ordinal))
                .Select(c => new SignalCount(c.ProjectId, message.To, SignalNames.KeyVerificationFailures, c.Count)),
            context.CancellationToken);
    }
}
