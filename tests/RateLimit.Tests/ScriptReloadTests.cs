using SentryFlow.RateLimit.Decisions;
using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Tests;

/// <summary>
/// Scripts are sent as EVALSHA by a hash computed in the service; a Redis that does not know the hash (restarted,
/// flushed) answers NOSCRIPT, and the decision must still be made, by Redis, exactly.
/// </summary>
public sealed class ScriptReloadTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    // A comment unique to this test run makes every script's hash one Redis has never seen.
    private readonly RedisRateLimiter _limiter = new(fixture.Redis, algorithm => LuaScripts.For(algorithm) + $"\n-- {Guid.NewGuid()}");
    private readonly string _prefix = RedisRateLimiter.KeyPrefix(Guid.NewGuid());
    private static readonly EffectiveLimit[] TwoPerHour = [new("l", 2, 3600, 2)];

    [Fact]
    public async Task A_single_decision_with_an_unknown_script_hash_is_made_by_redis()
    {
        var admitted = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            admitted.Add((await _limiter.EvaluateAsync(RateLimitAlgorithm.SlidingLog, _prefix, "single", TwoPerHour, 1)).Allowed);
        }

        Assert.Equal([true, true, false], admitted);
    }

    [Fact]
    public async Task A_pipelined_batch_with_an_unknown_script_hash_is_decided_in_order()
    {
        ScriptCall[] calls = [.. Enumerable.Range(0, 3).Select(_ => new ScriptCall(RateLimitAlgorithm.SlidingLog, _prefix, "batch", TwoPerHour, 1))];

        var results = await _limiter.EvaluateAsync(calls);

        Assert.Equal([true, true, false], results.Select(r => r.Allowed));
        Assert.Equal([1L, 0L, 0L], results.Select(r => r.Limits[0].Remaining));
    }
}
