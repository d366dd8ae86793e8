using System.Buffers;

namespace SentryFlow.Ingest.Apis;

/// <summary>
/// A request body read into one buffer from the shared array pool, sized by Content-Length when the sender gives it.
/// A batch is up to a MiB: read into a growing MemoryStream each post would allocate and copy several large-object-heap
/// arrays, which the GC then has to clear pages for; pooled buffers are reused from post to post.
/// </summary>
public sealed class PooledBody : IDisposable
{
    private byte[] _buffer;

    private PooledBody(byte[] buffer) => _buffer = buffer;

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/> (after decompression).</summary>
    public static async Task<PooledBody?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var hint = request.ContentLength is { } length && length <= maxBytes ? (int)length + 1 : 64 * 1024;
        var body = new PooledBody(ArrayPool<byte>.Shared.Rent(hint));
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(body._buffer.AsMemory(body.Length), cancellationToken)) > 0)
            {
                body.Length += read;
                if (body.Length > maxBytes)
                {
                    body.Dispose();
                    return null;
                }

                if (body.Length == body._buffer.Length)
                {
                    body.Grow();
                }
            }

            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Grow()
    {
        var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
        _buffer.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
