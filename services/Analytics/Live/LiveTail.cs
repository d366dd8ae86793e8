using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SentryFlow.Analytics.Queries;

namespace SentryFlow.Analytics.Live;

/// <summary>
/// A project's live tail: each newly stored record that matches the filter, as a request-log entry. A client gets
/// at most <see cref="LiveOptions.TailMaxRecordsPerSecond"/> records a second and has at most
/// <see cref="LiveOptions.TailBuffer"/> waiting; beyond either, records are dropped and the count is sent instead.
/// </summary>
public sealed class LiveTail(LiveSubscriptions subscriptions, LiveMetrics metrics, IOptions<LiveOptions> options, TimeProvider time, IOptions<JsonOptions> json)
{
    /// <summary>Streams records until the client goes away (<paramref name="cancellationToken"/>).</summary>
    public async Task StreamAsync(Guid projectId, TailFilter filter, HttpContext context, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var buffer = Channel.CreateBounded<RequestLogEntry>(new BoundedChannelOptions(limits.TailBuffer) { SingleReader = true });
        long dropped = 0;
        await using var subscription = await subscriptions.SubscribeAsync(LiveChannels.Tail(projectId), message =>
        {
            foreach (var entry in JsonSerializer.Deserialize<List<RequestLogEntry>>((byte[])message!, json.Value.SerializerOptions)!)
            {
                if (filter.Matches(entry) && !buffer.Writer.TryWrite(entry))
                {
                    Interlocked.Increment(ref dropped);
                }
            }
        });
        var stream = await ServerSentEventStream.OpenAsync(context, cancellationToken);
        var second = time.GetUtcNow().UtcTicks / TimeSpan.TicksPerSecond;
        var sentThisSecond = 0;
        while (true)
        {
            if (!await WaitForRecordsAsync(buffer.Reader, limits.HeartbeatInterval, cancellationToken))
            {
                await stream.CommentAsync("heartbeat", cancellationToken);
                continue;
            }

            while (buffer.Reader.TryRead(out var entry))
            {
                var now = time.GetUtcNow().UtcTicks / TimeSpan.TicksPerSecond;
                if (now != second)
                {
                    (second, sentThisSecond) = (now, 0);
                }

                if (sentThisSecond >= limits.TailMaxRecordsPerSecond)
                {
                    Interlocked.Increment(ref dropped);
                    continue;
                }

                await ReportDroppedAsync(stream, ref dropped, cancellationToken);
                await stream.EventAsync("record", entry, cancellationToken);
                sentThisSecond++;
            }

            await ReportDroppedAsync(stream, ref dropped, cancellationToken);
        }
    }

    /// <summary>True when records are waiting; false when <paramref name="quiet"/> passed without any.</summary>
    private static async Task<bool> WaitForRecordsAsync(ChannelReader<RequestLogEntry> reader, TimeSpan quiet, CancellationToken cancellationToken)
    {
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        heartbeat.CancelAfter(quiet);
        try
        {
            return await reader.WaitToReadAsync(heartbeat.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private Task ReportDroppedAsync(ServerSentEventStream stream, ref long dropped, CancellationToken cancellationToken)
    {
        var count = Interlocked.Exchange(ref dropped, 0);
        if (count == 0)
        {
            return Task.CompletedTask;
        }

        metrics.TailDropped.Add(count);
        return stream.EventAsync("dropped", new TailDropped(count), cancellationToken);
    }
}
