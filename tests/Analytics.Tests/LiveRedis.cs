using SentryFlow.Testing;
using StackExchange.Redis;

namespace SentryFlow.Analytics.Tests;

/// <summary>Asks the test run's Redis itself how many subscribers a project's live channels have.</summary>
public static class LiveRedis
{
    private static readonly Lazy<Task<ConnectionMultiplexer>> Connection = new(async () =>
        await ConnectionMultiplexer.ConnectAsync((await TestServers.GetAsync()).RedisConnectionString));

    public static async Task<long> SubscribersAsync(RedisChannel channel)
    {
        var redis = await Connection.Value;
        var answer = (RedisResult[])(await redis.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", channel.ToString()))!;
        return (long)answer[1];
    }
}
