namespace SentryFlow.Analytics.Storage;

/// <summary>
/// A bus message whose counts were already added (recorded in the same transaction), so that MassTransit's
/// redelivery of it adds nothing the second time. Forgotten by the retention job after a few days.
/// </summary>
public sealed class ProcessedMessage
{
    public Guid MessageId { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}
