using System.Net;
using System.Net.Sockets;

namespace SentryFlow.Testing;

public static class FreePort
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A port on 127.0.0.1 that nothing listens on now, never the same twice in one process.</summary>
    public static int Next()
    {
        lock (Handed)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
