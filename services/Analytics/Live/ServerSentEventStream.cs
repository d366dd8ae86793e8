using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace SentryFlow.Analytics.Live;

/// <summary>
/// Writes a <c>text/event-stream</c> response: named events with one JSON line of data, and comments as heartbeats.
/// Every write is flushed at once (no buffering, no compression) so that proxies and browsers see it immediately.
/// </summary>
public sealed class ServerSentEventStream
{
    private readonly HttpResponse _response;
    private readonly JsonSerializerOptions _json;

    private ServerSentEventStream(HttpContext context)
    {
        _response = context.Response;
        _json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
    }

    /// <summary>Sends the headers and a first comment, so the client knows the stream is open.</summary>
    public static async Task<ServerSentEventStream> OpenAsync(HttpContext context, CancellationToken cancellationToken)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no"; // nginx: do not hold the stream back
        var stream = new ServerSentEventStream(context);
        await stream.CommentAsync("open", cancellationToken);
        return stream;
    }

    public Task EventAsync<T>(string name, T data, CancellationToken cancellationToken) =>
        WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, _json)}\n\n", cancellationToken);

    public Task CommentAsync(string text, CancellationToken cancellationToken) => WriteAsync($": {text}\n\n", cancellationToken);

    private async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        await _response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await _response.Body.FlushAsync(cancellationToken);
    }
}
