using SentryFlow.RateLimit.Decisions;
using SentryFlow.RateLimit.Policies;
using Xunit.Abstractions;

namespace SentryFlow.RateLimit.Tests;

/// <summary>
/// The accuracy matrix: limits 5 and 100, windows 1 s and 5 s, offered load 0.9x, 1x and 10x the limit, over
/// <see cref="Windows"/> windows, against real Redis with the scripts' test clock (so thousands of requests at exact
/// instants take milliseconds, not minutes). Every request's answer is compared with the algorithm's definition
/// (a model in C#); the exact algorithms must give exactly the model's answers and never admit more than their
/// definition's bound in any window; the sliding-window counter must stay within the README's bound.
/// </summary>
public sealed class AccuracyMatrixTests(RedisFixture fixture, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    private const long Second = 1_000_000;
    private const int Windows = 12;
    private static readonly long Epoch = 1_800_000_000L * Second;

    private readonly RedisRateLimiter _limiter = fixture.TestClockLimiter;

    public static TheoryData<int, int, double> Matrix()
    {
        var data = new TheoryData<int, int, double>();
        foreach (var limit in new[] { 5, 100 })
        {
            foreach (var window in new[] { 1, 5 })
            {
                foreach (var load in new[] { 0.9, 1.0, 10.0 })
                {
                    data.Add(limit, window, load);
                }
            }
        }

        return data;
    }

    /// <summary>
    /// Offered load arriving two ways: evenly spaced, and at seeded random instants (the same number of requests in
    /// the same span), both starting at an instant that is not a window boundary.
    /// </summary>
    private static IEnumerable<(string Pattern, long[] Times)> Arrivals(int limit, int windowSeconds, double load)
    {
        var window = windowSeconds * Second;
        var start = window * 3 / 10;
        var count = (int)Math.Round(load * limit * Windows);
        var span = Windows * window;
        yield return ("even", [.. Enumerable.Range(0, count).Select(i => start + (long)((double)i * span / count))]);
        var random = new Random(limit * 1000 + windowSeconds * 10 + (int)(load * 10));
        yield return ("random", [.. Enumerable.Range(0, count).Select(_ => start + random.NextInt64(span)).Order()]);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Exact_algorithms_admit_exactly_what_their_definition_allows(int limit, int windowSeconds, double load)
    {
        var window = windowSeconds * Second;
        foreach (var (pattern, times) in Arrivals(limit, windowSeconds, load))
        {
            foreach (var algorithm in new[] { RateLimitAlgorithm.FixedWindow, RateLimitAlgorithm.SlidingLog, RateLimitAlgorithm.TokenBucket, RateLimitAlgorithm.Gcra })
            {
                var actual = await RunAsync(algorithm, limit, windowSeconds, times);
                var model = Model(algorithm, limit, window);
                var expected = times.Select(model).ToArray();
                var first = FirstDifference(expected, actual);
                var label = $"{algorithm}, limit {limit} per {windowSeconds} s, load {load}x, {pattern}";
                Assert.True(first < 0, $"{label}: request {first} at {(first < 0 ? 0 : times[first])} µs: definition says {(first < 0 ? null : expected[first])}");

                var admitted = times.Where((_, i) => actual[i]).ToArray();
                // The definitions' own bounds, checked on the admitted requests independently of the model above.
                switch (algorithm)
                {
                    case RateLimitAlgorithm.FixedWindow:
                        Assert.All(admitted.GroupBy(t => (Epoch + t) / window), w => Assert.True(w.Count() <= limit, $"{label}: {w.Count()} in one window"));
                        break;
                    case RateLimitAlgorithm.SlidingLog:
                        Assert.True(MostInAnyWindow(admitted, window) <= limit, $"{label}: {MostInAnyWindow(admitted, window)} in a window of {windowSeconds} s");
                        break;
                    default:
                        // Token bucket and GCRA (burst = limit): in any interval [a, b], at most burst + limit × (b − a) / window.
                        AssertRateBound(admitted, limit, window, burst: limit, label);
                        break;
                }

                // Below the limit every request passes; at 10x, nothing is lost: the limit is used in full.
                var offeredPerWindow = load * limit;
                if (offeredPerWindow < limit && pattern == "even")
                {
                    Assert.Equal(times.Length, admitted.Length);
                }

                output.WriteLine($"{label}: offered {times.Length}, admitted {admitted.Length}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Sliding_window_counter_stays_within_its_documented_bound(int limit, int windowSeconds, double load)
    {
        var window = windowSeconds * Second;
        foreach (var (pattern, times) in Arrivals(limit, windowSeconds, load))
        {
            var actual = await RunAsync(RateLimitAlgorithm.SlidingWindow, limit, windowSeconds, times);
            var model = Model(RateLimitAlgorithm.SlidingWindow, limit, window);
            var expected = times.Select(model).ToArray();
            var label = $"slidingWindow, limit {limit} per {windowSeconds} s, load {load}x, {pattern}";
            var first = FirstDifference(expected, actual);
            Assert.True(first < 0, $"{label}: request {first} differs from the weighted two-window formula");

            var admitted = times.Where((_, i) => actual[i]).ToArray();
            // Hard bounds: at most the limit in each aligned window, so below 2 × the limit in any sliding window.
            Assert.All(admitted.GroupBy(t => (Epoch + t) / window), w => Assert.True(w.Count() <= limit, $"{label}: {w.Count()} in one aligned window"));
            var most = MostInAnyWindow(admitted, window);
            Assert.True(most < 2 * limit, $"{label}: {most} in a sliding window");

            // Unkey's criterion: between 95 % and 120 % of the theoretical maximum, what an exact sliding window of
            // the same limit admits from the same arrivals (the sliding log's greedy answer is the most any
            // schedule can admit; for the evenly spaced loads it is min(offered, limit × windows)).
            var theoretical = (await RunAsync(RateLimitAlgorithm.SlidingLog, limit, windowSeconds, times)).Count(a => a);
            if (pattern == "even")
            {
                Assert.Equal(Math.Min(times.Length, limit * Windows), theoretical);
            }

            var ratio = (double)admitted.Length / theoretical;
            output.WriteLine($"{label}: offered {times.Length}, admitted {admitted.Length} = {ratio:P1} of {theoretical}; most in a sliding window {most}");
            Assert.InRange(ratio, 0.95, 1.20);
        }
    }

    private async Task<bool[]> RunAsync(RateLimitAlgorithm algorithm, int limit, int windowSeconds, long[] times)
    {
        var prefix = RedisRateLimiter.KeyPrefix(Guid.NewGuid());
        EffectiveLimit[] limits = [new("main", limit, windowSeconds, limit)];
        var answers = new bool[times.Length];
        // Pipelined: the calls leave in order on one connection, and Redis runs the scripts in that order.
        const int Chunk = 2000;
        for (var from = 0; from < times.Length; from += Chunk)
        {
            var calls = new List<Task<ScriptResult>>(Chunk);
            for (var i = from; i < Math.Min(times.Length, from + Chunk); i++)
            {
                calls.Add(_limiter.EvaluateAsync(algorithm, prefix, "matrix", limits, 1, Epoch + times[i]));
            }

            var results = await Task.WhenAll(calls);
            for (var i = 0; i < results.Length; i++)
            {
                answers[from + i] = results[i].Allowed;
            }
        }

        return answers;
    }

    /// <summary>The textbook definition of each algorithm, one request (cost 1) at a time; times relative to <see cref="Epoch"/>.</summary>
    private static Func<long, bool> Model(RateLimitAlgorithm algorithm, long limit, long window)
    {
        switch (algorithm)
        {
            case RateLimitAlgorithm.FixedWindow:
            {
                var counts = new Dictionary<long, long>();
                return t =>
                {
                    var w = (Epoch + t) / window;
                    var used = counts.GetValueOrDefault(w);
                    if (used + 1 > limit)
                    {
                        return false;
                    }

                    counts[w] = used + 1;
                    return true;
                };
            }

            case RateLimitAlgorithm.SlidingLog:
            {
                // At most limit admitted in (t − window, t].
                var log = new Queue<long>();
                return t =>
                {
                    while (log.Count > 0 && log.Peek() <= t - window)
                    {
                        log.Dequeue();
                    }

                    if (log.Count + 1 > limit)
                    {
                        return false;
                    }

                    log.Enqueue(t);
                    return true;
                };
            }

            case RateLimitAlgorithm.TokenBucket:
            {
                // Tokens × window, so the refill (limit per window) is exact: capacity burst (= limit) tokens.
                var capacity = limit * window;
                var tokens = capacity;
                long? last = null;
                return t =>
                {
                    var available = last is { } l ? Math.Min(capacity, tokens + Math.Max(0, t - l) * limit) : capacity;
                    if (available < window)
                    {
                        return false;
                    }

                    tokens = available - window;
                    last = t;
                    return true;
                };
            }

            case RateLimitAlgorithm.Gcra:
            {
                var cell = new RedisCellReference(maxBurst: limit - 1, countPerPeriod: limit, periodSeconds: window / Second);
                return t => !cell.Throttle(t, 1).Limited;
            }

            default:
            {
                // Sliding window counter: the previous window's count × the share of it still covered (rounded down)
                // + this window's count.
                long current = -1, count = 0, previous = 0;
                return t =>
                {
                    var w = (Epoch + t) / window;
                    if (w != current)
                    {
                        previous = w == current + 1 ? count : 0;
                        count = 0;
                        current = w;
                    }

                    var toEnd = window - ((Epoch + t) - w * window);
                    var estimate = Math.Floor((double)previous * toEnd / window) + count;
                    if (estimate + 1 > limit)
                    {
                        return false;
                    }

                    count++;
                    return true;
                };
            }
        }
    }

    private static int FirstDifference(bool[] expected, bool[] actual) =>
        Enumerable.Range(0, expected.Length).Where(i => expected[i] != actual[i]).DefaultIfEmpty(-1).First();

    /// <summary>The most admitted requests in any window (t − window, t].</summary>
    private static int MostInAnyWindow(long[] admitted, long window)
    {
        var most = 0;
        var from = 0;
        for (var i = 0; i < admitted.Length; i++)
        {
            while (admitted[from] <= admitted[i] - window)
            {
                from++;
            }

            most = Math.Max(most, i - from + 1);
        }

        return most;
    }

    /// <summary>For every pair i ≤ j of admitted requests: (j − i + 1) ≤ burst + limit × (t_j − t_i) / window.</summary>
    private static void AssertRateBound(long[] admitted, long limit, long window, long burst, string label)
    {
        // With a_k = k × window − limit × t_k the bound is a_j − a_i + window ≤ burst × window: keep the least a_i.
        var least = long.MaxValue;
        for (var j = 0; j < admitted.Length; j++)
        {
            var a = j * window - limit * admitted[j];
            least = Math.Min(least, a);
            Assert.True(a - least + window <= burst * window, $"{label}: more than burst + rate up to request {j}");
        }
    }
}
