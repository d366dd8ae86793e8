using SentryFlow.RateLimit.Decisions;
using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Tests;

/// <summary>
/// Each algorithm against real Redis at controlled instants (the scripts' test clock), compared with its textbook
/// definition request by request.
/// </summary>
public sealed class AlgorithmExactnessTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private const long Second = 1_000_000;
    private static readonly long Epoch = 1_800_000_000L * Second; // an aligned instant, so windows start at 0

    private readonly RedisRateLimiter _limiter = fixture.TestClockLimiter;
    private readonly string _prefix = RedisRateLimiter.KeyPrefix(Guid.NewGuid());

    private async Task<(bool Allowed, LimitOutcome Outcome)> At(RateLimitAlgorithm algorithm, long offsetMicros, long limit, int windowSeconds, long cost = 1, long? burst = null, string id = "a")
    {
        var (allowed, outcomes) = await _limiter.EvaluateAsync(algorithm, _prefix, id,
            [new EffectiveLimit("l", limit, windowSeconds, burst ?? limit)], cost, Epoch + offsetMicros);
        return (allowed, outcomes[0]);
    }

    [Fact]
    public async Task Fixed_window_admits_the_limit_per_aligned_window_and_starts_again_at_its_end()
    {
        var admitted = new List<bool>();
        foreach (var t in new[] { 0.0, 0.1, 0.2, 0.3, 0.9, 0.999999, 1.0, 1.5, 1.6, 1.7, 1.8 })
        {
            admitted.Add((await At(RateLimitAlgorithm.FixedWindow, (long)(t * Second), limit: 3, windowSeconds: 1)).Allowed);
        }

        Assert.Equal([true, true, true, false, false, false, true, true, true, false, false], admitted);

        var rejected = await At(RateLimitAlgorithm.FixedWindow, (long)(1.9 * Second), 3, 1);
        Assert.False(rejected.Allowed);
        Assert.Equal(0, rejected.Outcome.Remaining);
        Assert.Equal((long)(0.1 * Second), rejected.Outcome.RetryAfterMicros); // the window's end, never earlier
        Assert.Equal((long)(0.1 * Second), rejected.Outcome.ResetMicros);
    }

    [Fact]
    public async Task Fixed_window_reports_remaining_and_charges_the_cost()
    {
        var first = await At(RateLimitAlgorithm.FixedWindow, 0, limit: 10, windowSeconds: 60, cost: 4);
        Assert.True(first.Allowed);
        Assert.Equal(6, first.Outcome.Remaining);
        Assert.Equal(60 * Second, first.Outcome.ResetMicros);

        var second = await At(RateLimitAlgorithm.FixedWindow, 30 * Second, 10, 60, cost: 7);
        Assert.False(second.Allowed);
        Assert.Equal(6, second.Outcome.Remaining); // nothing charged
        Assert.Equal(30 * Second, second.Outcome.RetryAfterMicros);

        var tooBig = await At(RateLimitAlgorithm.FixedWindow, 31 * Second, 10, 60, cost: 11);
        Assert.Equal(-1, tooBig.Outcome.RetryAfterMicros);
    }

    [Fact]
    public async Task Sliding_log_never_admits_more_than_the_limit_in_any_window()
    {
        // limit 3 per 10 s. Requests at 0, 1, 2 admitted; 3..9.999 rejected; at 10 the unit from 0 leaves.
        var times = new[] { 0.0, 1, 2, 3, 9.999999, 10, 10.5, 11, 11.999999, 12, 20.5, 21, 22 };
        var expected = new[] { true, true, true, false, false, true, false, true, false, true, true, true, true };
        var admittedAt = new List<long>();
        for (var i = 0; i < times.Length; i++)
        {
            var at = (long)Math.Round(times[i] * Second);
            var (allowed, _) = await At(RateLimitAlgorithm.SlidingLog, at, limit: 3, windowSeconds: 10);
            Assert.True(expected[i] == allowed, $"request {i} at {times[i]} s: expected {expected[i]}");
            if (allowed)
            {
                admittedAt.Add(at);
            }
        }

        // The definition: in any window (t - 10 s, t], at most 3 admitted.
        foreach (var t in admittedAt)
        {
            Assert.True(admittedAt.Count(a => a > t - 10 * Second && a <= t) <= 3);
        }

        var rejected = await At(RateLimitAlgorithm.SlidingLog, 22 * Second + 1, 3, 10);
        Assert.False(rejected.Allowed);
        Assert.Equal(20.5 * Second + 10 * Second - (22 * Second + 1), rejected.Outcome.RetryAfterMicros);
    }

    [Fact]
    public async Task Sliding_window_counter_weights_the_previous_window()
    {
        // limit 10 per 10 s: 10 in window [0, 10); at 15 s half of the previous window is still covered: 10 * 0.5 = 5,
        // so 5 more fit; at 18 s, 10 * 0.2 + 5 = 7: 3 more fit.
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await At(RateLimitAlgorithm.SlidingWindow, i * Second / 2, 10, 10)).Allowed);
        }

        Assert.False((await At(RateLimitAlgorithm.SlidingWindow, 9 * Second, 10, 10)).Allowed);
        var admittedAt15 = 0;
        for (var i = 0; i < 8; i++)
        {
            admittedAt15 += (await At(RateLimitAlgorithm.SlidingWindow, 15 * Second, 10, 10)).Allowed ? 1 : 0;
        }

        Assert.Equal(5, admittedAt15);
        var admittedAt18 = 0;
        for (var i = 0; i < 8; i++)
        {
            admittedAt18 += (await At(RateLimitAlgorithm.SlidingWindow, 18 * Second, 10, 10)).Allowed ? 1 : 0;
        }

        Assert.Equal(3, admittedAt18);
    }

    [Fact]
    public async Task Sliding_window_counter_retry_after_is_the_first_instant_it_admits()
    {
        // limit 10 per 10 s, 10 in [0, 10). At 15 s: floor(10 × 0.5) = 5 counted from the previous window, 5 fit.
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await At(RateLimitAlgorithm.SlidingWindow, i * Second / 2, 10, 10, id: "retry")).Allowed);
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.True((await At(RateLimitAlgorithm.SlidingWindow, 15 * Second, 10, 10, id: "retry")).Allowed);
        }

        // The 11th: the previous window's share must drop below 5 units, i.e. just after 15 s.
        var rejected = await At(RateLimitAlgorithm.SlidingWindow, 15 * Second, 10, 10, id: "retry");
        Assert.False(rejected.Allowed);
        Assert.Equal(0, rejected.Outcome.Remaining);
        Assert.Equal(1, rejected.Outcome.RetryAfterMicros);
        Assert.True((await At(RateLimitAlgorithm.SlidingWindow, 15 * Second + 1, 10, 10, id: "retry")).Allowed);

        // The 12th: floor(10 × (10 − e) / 10) ≤ 3 first holds at e = 6 s + 1 µs; not a µs earlier.
        var next = await At(RateLimitAlgorithm.SlidingWindow, 15 * Second + 1, 10, 10, id: "retry");
        Assert.False(next.Allowed);
        Assert.Equal(Second, next.Outcome.RetryAfterMicros);
        Assert.False((await At(RateLimitAlgorithm.SlidingWindow, 16 * Second, 10, 10, id: "retry")).Allowed);
        Assert.True((await At(RateLimitAlgorithm.SlidingWindow, 16 * Second + 1, 10, 10, id: "retry")).Allowed);

        // At 19.9 s the previous window's share is floor(0.1) = 0: 3 more fit (7 → 10), then this window is full and
        // the wait runs into the next window, where floor(10 × (10 − e) / 10) ≤ 9 first holds at e = 1 µs.
        var late = 0;
        for (var i = 0; i < 5; i++)
        {
            late += (await At(RateLimitAlgorithm.SlidingWindow, (long)(19.9 * Second), 10, 10, id: "retry")).Allowed ? 1 : 0;
        }

        Assert.Equal(3, late);
        var full = await At(RateLimitAlgorithm.SlidingWindow, (long)(19.9 * Second), 10, 10, id: "retry");
        Assert.Equal(Second / 10 + 1, full.Outcome.RetryAfterMicros);
        Assert.False((await At(RateLimitAlgorithm.SlidingWindow, 20 * Second, 10, 10, id: "retry")).Allowed);
        Assert.True((await At(RateLimitAlgorithm.SlidingWindow, 20 * Second + 1, 10, 10, id: "retry")).Allowed);
    }

    [Fact]
    public async Task Token_bucket_admits_the_burst_then_the_refill_rate()
    {
        // capacity 5, refill 1 per second (limit 1, window 1 s).
        var burst = 0;
        for (var i = 0; i < 8; i++)
        {
            burst += (await At(RateLimitAlgorithm.TokenBucket, 0, limit: 1, windowSeconds: 1, burst: 5)).Allowed ? 1 : 0;
        }

        Assert.Equal(5, burst);
        var rejected = await At(RateLimitAlgorithm.TokenBucket, Second / 4, 1, 1, burst: 5);
        Assert.False(rejected.Allowed);
        Assert.Equal(3 * Second / 4, rejected.Outcome.RetryAfterMicros);

        // From then on exactly one per second: at 1 s yes, 1.5 s no, 1.999999 no, 2 s yes.
        Assert.True((await At(RateLimitAlgorithm.TokenBucket, Second, 1, 1, burst: 5)).Allowed);
        Assert.False((await At(RateLimitAlgorithm.TokenBucket, Second + Second / 2, 1, 1, burst: 5)).Allowed);
        Assert.False((await At(RateLimitAlgorithm.TokenBucket, 2 * Second - 1, 1, 1, burst: 5)).Allowed);
        var refilled = await At(RateLimitAlgorithm.TokenBucket, 2 * Second, 1, 1, burst: 5);
        Assert.True(refilled.Allowed);
        Assert.Equal(0, refilled.Outcome.Remaining);
        Assert.Equal(5 * Second, refilled.Outcome.ResetMicros);

        // After a long pause the bucket is full again, never fuller.
        var admittedLater = 0;
        for (var i = 0; i < 8; i++)
        {
            admittedLater += (await At(RateLimitAlgorithm.TokenBucket, 100 * Second, 1, 1, burst: 5)).Allowed ? 1 : 0;
        }

        Assert.Equal(5, admittedLater);
    }

    [Fact]
    public async Task Token_bucket_charges_the_cost_per_request()
    {
        Assert.True((await At(RateLimitAlgorithm.TokenBucket, 0, limit: 10, windowSeconds: 1, cost: 6)).Allowed);
        var rejected = await At(RateLimitAlgorithm.TokenBucket, 0, 10, 1, cost: 6);
        Assert.False(rejected.Allowed);
        Assert.Equal(4, rejected.Outcome.Remaining);
        Assert.Equal(Second / 5, rejected.Outcome.RetryAfterMicros); // 2 tokens at 10/s
        Assert.True((await At(RateLimitAlgorithm.TokenBucket, Second / 5, 10, 1, cost: 6)).Allowed);
    }

    public static TheoryData<int, int, int, string> GcraCases => new()
    {
        // max_burst, count per period, period (s), arrival pattern
        { 15, 30, 60, "burst" },
        { 0, 1, 1, "steady" },
        { 4, 10, 1, "mixed" },
        { 2, 5, 10, "mixed" },
    };

    [Theory]
    [MemberData(nameof(GcraCases))]
    public async Task Gcra_matches_redis_cell(int maxBurst, int count, int period, string pattern)
    {
        var cell = new RedisCellReference(maxBurst, count, period);
        var random = new Random(maxBurst * 1000 + count);
        long now = 0;
        for (var i = 0; i < 200; i++)
        {
            now += pattern switch
            {
                "burst" => i % 40 == 0 ? 30 * Second : 0,
                "steady" => Second / 2,
                _ => random.Next(0, 4) == 0 ? random.NextInt64(0, 2 * Second * period / count) : 0,
            };
            var quantity = pattern == "mixed" && i % 7 == 0 ? 2 : 1;
            var expected = cell.Throttle(now, quantity);
            // redis-cell's limit is max_burst + 1: our burst.
            var (allowed, outcome) = await At(RateLimitAlgorithm.Gcra, now, limit: count, windowSeconds: period, cost: quantity, burst: maxBurst + 1);

            Assert.True(expected.Limited != allowed, $"request {i} at {now} µs: redis-cell limited={expected.Limited}");
            Assert.Equal(expected.Remaining, outcome.Remaining);
            Assert.Equal(expected.RetryAfterSeconds, outcome.RetryAfterMicros <= 0 ? -1 : outcome.RetryAfterMicros / Second);
            Assert.Equal(expected.ResetAfterSeconds, outcome.ResetMicros / Second);
        }
    }

    [Fact]
    public async Task Several_limits_are_all_or_nothing()
    {
        EffectiveLimit[] limits = [new("burst", 3, 1, 3), new("daily", 5, 86400, 5)];
        var results = new List<bool>();
        for (var i = 0; i < 8; i++)
        {
            var at = Epoch + i / 3 * Second; // three requests per second
            results.Add((await _limiter.EvaluateAsync(RateLimitAlgorithm.FixedWindow, _prefix, "multi", limits, 1, at)).Allowed);
        }

        // 3 in second 0, then 2 in second 1 (daily reaches 5), then nothing: the rejected ones charged nothing.
        Assert.Equal([true, true, true, true, true, false, false, false], results);
        var (_, outcomes) = await _limiter.EvaluateAsync(RateLimitAlgorithm.FixedWindow, _prefix, "multi", limits, 0, Epoch + 2 * Second);
        Assert.Equal(3, outcomes[0].Remaining);
        Assert.Equal(0, outcomes[1].Remaining);
    }
}
