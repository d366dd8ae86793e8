using SentryFlow.Bench.Faults;

namespace SentryFlow.Bench.Tests;

public class VerifyLatencyTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public void No_calls_summarize_to_zeros()
    {
        Assert.Equal(new VerifyLatency(0, 0, 0, 0, 0), VerifyLatency.Of([]));
    }

    [Fact]
    public void The_p99_is_the_nearest_rank_and_calls_over_50_ms_or_failed_count_over_the_bound()
    {
        // 200 calls: 196 fast ones (1 ms), one failed fast (2 ms), one at exactly 50 ms, two slow (60 and 70 ms).
        var calls = Enumerable.Repeat(new VerifyCall(At, 1, true), 196)
            .Append(new VerifyCall(At, 60, true))
            .Append(new VerifyCall(At, 70, true))
            .Append(new VerifyCall(At, 2, false))
            .Append(new VerifyCall(At, 50, true))
            .ToList();

        var latency = VerifyLatency.Of(calls);

        Assert.Equal(200, latency.Calls);
        Assert.Equal(50, latency.P99Ms); // the 198th of 200 sorted
        Assert.Equal(70, latency.MaxMs);
        Assert.Equal(3, latency.OverBound);
        Assert.Equal(1, latency.Failed);
    }
}
