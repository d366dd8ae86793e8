using SentryFlow.Contracts;
using SentryFlow.ServiceDefaults;
using StackExchange.Redis;

namespace SentryFlow.RateLimit.Decisions;

/// <summary>
/// The Redis connection decisions use: the same server as the shared one, but with its own socket threads, so a
/// reply is read (and its task completed) even while the .NET thread pool is saturated by request work. The 50 ms
/// budget then measures Redis, not the thread pool's queue, and a busy instance does not open the breaker on a
/// healthy Redis.
/// </summary>
public sealed class DecisionConnection : IDisposable
{
    private readonly SocketManager _sockets;

    public DecisionConnection(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = ConfigurationOptions.Parse(ConnectionStrings.GetRequired(configuration, SentryFlowResources.Redis));
        options.AbortOnConnectFail = false;
        options.ClientName = $"{environment.ApplicationName}-decisions";
        _sockets = new SocketManager("ratelimit-decisions", workerCount: 2, SocketManager.SocketManagerOptions.UseHighPrioritySocketThreads);
        options.SocketManager = _sockets;
        Connection = ConnectionMultiplexer.Connect(options);
    }

    public IConnectionMultiplexer Connection { get; }

    public void Dispose()
    {
        Connection.Dispose();
        _sockets.Dispose();
    }
}
