using System.Diagnostics;
using MassTransit;

namespace SentryFlow.Ingest.Publishing;

/// <summary>
/// Hands accepted items to the bus in chunks (one message per chunk) and returns only when the broker has
/// confirmed each (persistent messages, publisher confirms), within <see cref="ConfirmTimeout"/>.
/// </summary>
public sealed class BatchPublisher(IBus bus, IngestMetrics metrics)
{
    public const int ChunkSize = 500;
    public static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(5);

    public async Task PublishAsync<TItem>(IReadOnlyList<TItem> items, Func<IReadOnlyList<TItem>, object> toMessage, CancellationToken cancellationToken)
    {
        if (bus is IBusControl control && control.CheckHealth().Status == BusHealthStatus.Unhealthy)
        {
            throw new BusUnavailableException("The message broker is not connected.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConfirmTimeout);
        var clock = Stopwatch.StartNew();
        try
        {
            await Task.WhenAll(items.Chunk(ChunkSize).Select(chunk =>
            {
                var message = toMessage(chunk);
                return bus.Publish(message, message.GetType(), timeout.Token); // by its runtime type: the exchange is the message type's
            }));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new BusUnavailableException("The message broker did not confirm the batch.", exception);
        }
        finally
        {
            metrics.PublishDuration.Record(clock.Elapsed.TotalSeconds);
        }
    }
}
