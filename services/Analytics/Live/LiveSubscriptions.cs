using StackExchange.Redis;

namespace SentryFlow.Analytics.Live;

/// <summary>
/// Subscribes a stream to a live channel for as long as it is open. StackExchange.Redis counts the handlers of a
/// channel and unsubscribes from Redis when the last one goes, so a closed stream leaves nothing behind.
/// </summary>
public sealed class LiveSubscriptions(IConnectionMultiplexer redis, LiveMetrics metrics)
{
    private int _active;

    /// <summary>Streams subscribed on this instance now.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>Whether Redis is reachable, so that a stream would receive anything.</summary>
    public bool Available => redis.IsConnected;

    public async Task<IAsyncDisposable> SubscribeAsync(RedisChannel channel, Action<RedisValue> onMessage)
    {
        Action<RedisChannel, RedisValue> handler = (_, message) => onMessage(message);
        await redis.GetSubscriber().SubscribeAsync(channel, handler);
        Interlocked.Increment(ref _active);
        metrics.Watchers.Add(1);
        return new Subscription(this, channel, handler);
    }

    private async ValueTask ReleaseAsync(RedisChannel channel, Action<RedisChannel, RedisValue> handler)
    {
        Interlocked.Decrement(ref _active);
        metrics.Watchers.Add(-1);
        try
        {
            await redis.GetSubscriber().UnsubscribeAsync(channel, handler);
        }
        catch (RedisException)
        {
            // Redis is away: the server dropped the subscription with the connection, and the multiplexer does not
            // restore a channel without handlers when it reconnects.
        }
    }

    private sealed class Subscription(LiveSubscriptions owner, RedisChannel channel, Action<RedisChannel, RedisValue> handler) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _disposed, 1) == 1 ? ValueTask.CompletedTask : owner.ReleaseAsync(channel, handler);
    }
}
