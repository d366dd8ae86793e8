using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace SentryFlow.Analytics.Live;

/// <summary>
/// A project's live view: one frame per second of arrival (when analytics stored the records, not their timestamps),
/// zeros included, which also keeps proxies from closing a quiet stream.
/// </summary>
public sealed class LiveView(LiveSubscriptions subscriptions, TimeProvider time, IOptions<JsonOptions> json)
{
    public static readonly TimeSpan FrameLength = TimeSpan.FromSeconds(1);

    /// <summary>Streams frames until the client goes away (<paramref name="cancellationToken"/>).</summary>
    public async Task StreamAsync(Guid projectId, HttpContext context, CancellationToken cancellationToken)
    {
        var second = new LiveSecond();
        await using var subscription = await subscriptions.SubscribeAsync(
            LiveChannels.Stats(projectId),
            message => second.Add(JsonSerializer.Deserialize<LiveBatchStats>((byte[])message!, json.Value.SerializerOptions)!));
        var stream = await ServerSentEventStream.OpenAsync(context, cancellationToken);
        var current = Floor(time.GetUtcNow());
        while (true)
        {
            var next = current + FrameLength;
            var wait = next - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            await stream.EventAsync("second", second.Close(current), cancellationToken);

            // A client that could not keep up skips the seconds it missed (their counts went into the frame just sent).
            current = Floor(time.GetUtcNow()) > next ? Floor(time.GetUtcNow()) : next;
        }
    }

    private static DateTimeOffset Floor(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % FrameLength.Ticks), TimeSpan.Zero);
}
