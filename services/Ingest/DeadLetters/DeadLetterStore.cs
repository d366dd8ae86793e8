using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using SentryFlow.Contracts;
using SentryFlow.ServiceDefaults;

namespace SentryFlow.Ingest.DeadLetters;

/// <summary>
/// Lists and replays the error queues of every service's consumers (<see cref="SentryFlowQueues.WithErrorQueues"/>:
/// analytics' stores, keys' and rate-limit's project deletions, analytics' ApiKeysVerified), with a plain AMQP channel: listing takes
/// messages without acknowledging and puts them back; replaying sends a message back to the queue it failed in
/// (its consumer then tries again) and removes it from the error queue.
/// </summary>
public sealed class DeadLetterStore(IConfiguration configuration)
{
    public async Task<List<DeadLetter>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var found = new List<DeadLetter>();
        foreach (var queue in SentryFlowQueues.WithErrorQueues)
        {
            var errors = SentryFlowQueues.ErrorQueue(queue);
            await channel.QueueDeclareAsync(errors, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
            var taken = new List<ulong>();
            while (found.Count < limit && await channel.BasicGetAsync(errors, autoAck: false, cancellationToken) is { } message)
            {
                taken.Add(message.DeliveryTag);
                found.Add(Describe(queue, message));
            }

            foreach (var tag in taken)
            {
                await channel.BasicNackAsync(tag, multiple: false, requeue: true, cancellationToken);
            }
        }

        return found;
    }

    /// <summary>Replays the dead letters with <paramref name="messageId"/> (all of them when null); returns how many.</summary>
    public async Task<int> ReplayAsync(string? messageId, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        var replayed = 0;
        foreach (var queue in SentryFlowQueues.WithErrorQueues)
        {
            var errors = SentryFlowQueues.ErrorQueue(queue);
            var waiting = (await channel.QueueDeclareAsync(errors, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken)).MessageCount;
            var skipped = new List<ulong>();
            for (var i = 0; i < waiting && await channel.BasicGetAsync(errors, autoAck: false, cancellationToken) is { } message; i++)
            {
                if (messageId is not null && message.BasicProperties.MessageId != messageId)
                {
                    skipped.Add(message.DeliveryTag);
                    continue;
                }

                // Back to the queue it failed in, with its properties (and so its message id and type) intact.
                await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties(message.BasicProperties) { Persistent = true },
                    message.Body, cancellationToken);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
                replayed++;
            }

            foreach (var tag in skipped)
            {
                await channel.BasicNackAsync(tag, multiple: false, requeue: true, cancellationToken);
            }
        }

        return replayed;
    }

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken) =>
        await RabbitMqEndpoint.Parse(ConnectionStrings.GetRequired(configuration, SentryFlowResources.Messaging))
            .CreateConnectionFactory("ingest-dead-letters").CreateConnectionAsync(cancellationToken);

    private static DeadLetter Describe(string queue, BasicGetResult message)
    {
        var headers = message.BasicProperties.Headers;
        string? Header(string name) => headers is not null && headers.TryGetValue(name, out var value)
            ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), null => null, _ => value.ToString() }
            : null;
        var (messageType, projectId) = ReadEnvelope(message.Body);
        return new DeadLetter(queue, message.BasicProperties.MessageId, message.BasicProperties.Type ?? Header("MT-MessageType") ?? messageType,
            projectId, Header("MT-Reason"), Header("MT-Fault-ExceptionType"), Header("MT-Fault-Message"), message.Body.Length);
    }

    /// <summary>The message type (its first URN) and the message's <c>projectId</c> from MassTransit's JSON envelope.</summary>
    private static (string? MessageType, string? ProjectId) ReadEnvelope(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var envelope = JsonDocument.Parse(body);
            var root = envelope.RootElement;
            var messageType = root.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array && types.GetArrayLength() > 0
                ? types[0].GetString()
                : null;
            var projectId = root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
                && message.TryGetProperty("projectId", out var project)
                    ? project.GetString()
                    : null;
            return (messageType, projectId);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
