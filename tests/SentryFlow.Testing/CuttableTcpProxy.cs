using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SentryFlow.Contracts;
using StackExchange.Redis;

namespace SentryFlow.Testing;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of one of the test run's servers, so one test can take "Redis" or "RabbitMQ" away
/// from one service instance without stopping the server every other test process shares. <see cref="Cut"/> closes every connection and
/// refuses new ones (each is accepted and closed at once); <see cref="Restore"/> forwards again.
/// </summary>
public sealed class CuttableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly EndPoint _target;
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private volatile bool _cut;

    /// <param name="redisConnectionString">The real Redis (a StackExchange.Redis configuration string).</param>
    public CuttableTcpProxy(string redisConnectionString)
        : this(ConfigurationOptions.Parse(redisConnectionString).EndPoints.Single())
    {
    }

    public CuttableTcpProxy(Uri amqpUri)
        : this(new IPEndPoint(IPAddress.Parse(amqpUri.Host), amqpUri.Port))
    {
    }

    private CuttableTcpProxy(EndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>
    /// A proxy in front of <paramref name="factory"/>'s Redis, the service pointed at it: the factory's settings come after
    /// its connection strings in the host's configuration, so this connection string wins. Call after initializing the
    /// factory and before its host starts.
    /// </summary>
    public static CuttableTcpProxy InFrontOfRedis<TProgram>(ServiceFactory<TProgram> factory)
        where TProgram : class
    {
        var redis = factory.ConnectionString(SentryFlowResources.Redis);
        var proxy = new CuttableTcpProxy(redis);
        factory.Settings[$"ConnectionStrings:{SentryFlowResources.Redis}"] = ConnectionStringVia(redis, proxy.Port);
        return proxy;
    }

    /// <summary>The real connection string with the proxy in place of the server (same password and options).</summary>
    private static string ConnectionStringVia(string redisConnectionString, int port)
    {
        var options = ConfigurationOptions.Parse(redisConnectionString);
        options.EndPoints.Clear();
        options.EndPoints.Add(IPAddress.Loopback, port);
        return options.ToString(includePassword: true);
    }

    /// <summary>The real AMQP URI (user, password, virtual host) with the proxy in place of the broker.</summary>
    public Uri AmqpUriVia(Uri amqpUri) => new UriBuilder(amqpUri) { Host = "127.0.0.1", Port = Port }.Uri;

    /// <summary>How many client connections are being forwarded now.</summary>
    public int OpenConnections => _open.Count / 2;

    /// <summary>Closes every forwarded connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        foreach (var socket in _open.Keys)
        {
            Close(socket);
        }
    }

    public void Restore() => _cut = false;

    public async ValueTask DisposeAsync()
    {
        Cut();
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stopping.Token);
            if (_cut)
            {
                Close(client);
                continue;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        _open[client] = 0;
        _open[server] = 0;
        try
        {
            await server.ConnectAsync(_target, _stopping.Token);
            if (_cut)
            {
                return; // cut while connecting
            }

            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // a side closed, or the proxy was cut: close both below
        }
        finally
        {
            Close(client);
            Close(server);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // closed
        }
    }

    private void Close(Socket socket)
    {
        _open.TryRemove(socket, out _);
        try
        {
            // An abortive close (RST), as when a server dies: the client learns at once rather than at its next write.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // already closed
        }
    }
}
