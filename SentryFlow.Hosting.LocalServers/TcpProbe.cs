using System.Net.Sockets;
using System.Text;

namespace SentryFlow.Hosting.LocalServers;

/// <summary>Speaks the first bytes of a server's protocol and reads its answer: an open port alone proves little.</summary>
internal static class TcpProbe
{
    public static async Task<byte[]> ExchangeAsync(int port, byte[] request, Func<byte[], int, bool> answered, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(request, timeout.Token);
        var buffer = new byte[512];
        var length = 0;
        while (length < buffer.Length && !answered(buffer, length))
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return buffer[..length];
    }

    public static string Describe(byte[] answer) => answer.Length == 0 ? "no answer" : Encoding.ASCII.GetString(answer).Trim();
}
