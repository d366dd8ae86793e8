using System.Text.Json;

namespace SentryFlow.ServiceDefaults.Outbox;

/// <summary>
/// An integration event saved in the same transaction as the change it announces, and published to the bus
/// afterwards by <see cref="OutboxPublisher{TContext}"/>: a change is never committed without its event, nor an
/// event published for a change that rolled back. Delivery is at least once; <see cref="Id"/> is the message id.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The event's type, as <c>Namespace.Type, Assembly</c>.</summary>
    public required string MessageType { get; init; }

    /// <summary>The event as JSON.</summary>
    public required string Payload { get; init; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>When the bus confirmed it; null while it waits.</summary>
    public DateTimeOffset? SentAt { get; set; }

    public int Attempts { get; set; }

    public static OutboxMessage For(object integrationEvent)
    {
        var type = integrationEvent.GetType();
        return new()
        {
            MessageType = $"{type.FullName}, {type.Assembly.GetName().Name}",
            Payload = JsonSerializer.Serialize(integrationEvent, type),
        };
    }

    public object Deserialize() =>
        JsonSerializer.Deserialize(Payload, Type.GetType(MessageType, throwOnError: true)!)!;
}
