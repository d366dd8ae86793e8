using StackExchange.Redis;

namespace SentryFlow.Analytics.Live;

/// <summary>
/// The Redis pub/sub channels the consumer feeds after each commit, one pair per project. Whichever instance stored a
/// batch publishes; every instance with a watcher of that project is subscribed, so any instance serves any client.
/// </summary>
public static class LiveChannels
{
    /// <summary>Per stored batch, its counts and latency histogram (<see cref="LiveBatchStats"/>).</summary>
    public static RedisChannel Stats(Guid projectId) => RedisChannel.Literal($"sf:analytics:live:{projectId:n}");

    /// <summary>Per stored batch, its records as request-log entries.</summary>
    public static RedisChannel Tail(Guid projectId) => RedisChannel.Literal($"sf:analytics:tail:{projectId:n}");
}
