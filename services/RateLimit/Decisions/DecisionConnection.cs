using SentryFlow.Contracts;
using SentryFlow.ServiceDefaults;
using StackExchange.Redis;

namespace SentryFlow.RateLimit.Decisions;

/// <summary>
/// The Redis connection decisions use: the same server as the shared one, on a connection of its own, so decisions
/// never queue behind the service's other Redis traffic and their Redis commands are counted apart.
/// </summary>
/// <remarks>
/// Replies are read on the .NET thread pool (<see cref="SocketManager.ThreadPool"/>), not on dedicated socket threads:
/// a dedicated thread read each reply and then woke a pool thread to run the decision's continuation, a futex wake
/// and a context switch per decision on two cores. Reading on the pool took a check from 117 to 81 µs of CPU
/// (11,460 to 15,810 checks/s in the bench) with no decision left to the fallback for lack of a reply in time.
/// It is deliberately not the connection of Aspire's <c>AddRedisClient</c> (which the rest of the service uses): that one
/// profiles every command for its traces, a cost per decision on the hot path, and offers no socket-manager setting.
/// </remarks>
public sealed class DecisionConnection : IDisposable
{
    public DecisionConnection(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = ConfigurationOptions.Parse(ConnectionStrings.GetRequired(configuration, SentryFlowResources.Redis));
        options.AbortOnConnectFail = false;
        options.ClientName = $"{environment.ApplicationName}-decisions";
        options.SocketManager = SocketManager.ThreadPool;
        Connection = ConnectionMultiplexer.Connect(options);
    }

    public IConnectionMultiplexer Connection { get; }

    public void Dispose() => Connection.Dispose();
}
