using System.Buffers.Text;

namespace SentryFlow.Bench;

/// <summary>
/// Finds where one HTTP/1.1 response ends in what a connection has read: by its Content-Length, or by the last chunk
/// of a chunked body. Enough for Kestrel's answers, which is all the constant-rate driver reads.
/// </summary>
public static class HttpResponse
{
    /// <summary>True when <paramref name="read"/> holds a whole response: its <paramref name="length"/> and status.</summary>
    public static bool TryRead(ReadOnlySpan<byte> read, out int length, out int status)
    {
        length = 0;
        status = 0;
        var headersEnd = read.IndexOf("\r\n\r\n"u8);
        if (headersEnd < 0 || !Utf8Parser.TryParse(read[9..12], out status, out _))
        {
            return false;
        }

        var headers = read[..(headersEnd + 2)];
        var body = headersEnd + 4;
        var contentLength = headers.IndexOf("\r\nContent-Length: "u8);
        if (contentLength >= 0)
        {
            var value = headers[(contentLength + 18)..];
            if (!Utf8Parser.TryParse(value[..value.IndexOf("\r\n"u8)], out int bodyLength, out _))
            {
                throw new FormatException("a Content-Length that is not a number");
            }

            length = body + bodyLength;
            return read.Length >= length;
        }

        if (headers.IndexOf("\r\nTransfer-Encoding: chunked\r\n"u8) < 0)
        {
            length = body; // no body
            return true;
        }

        var at = body;
        while (true)
        {
            var lineEnd = read[at..].IndexOf("\r\n"u8);
            if (lineEnd < 0 || !Utf8Parser.TryParse(read.Slice(at, lineEnd), out int size, out _, 'x'))
            {
                return false;
            }

            at += lineEnd + 2 + size + 2; // the chunk and the line end after it; after the last (empty) chunk, the end of the trailers
            if (size == 0)
            {
                length = at;
                return read.Length >= length;
            }

            if (at > read.Length)
            {
                return false;
            }
        }
    }
}
