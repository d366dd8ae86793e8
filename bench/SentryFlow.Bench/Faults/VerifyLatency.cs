namespace SentryFlow.Bench.Faults;

/// <summary>One call of keys' verify by the side loop: when it started, how long it took, and whether it said the key is valid.</summary>
public sealed record VerifyCall(DateTimeOffset At, double Milliseconds, bool Valid);

/// <summary>The verify calls of one fault's window, against issue 19's bound (every call answered within 50 ms).</summary>
public sealed record VerifyLatency(int Calls, double P99Ms, double MaxMs, int OverBound, int Failed)
{
    public const double BoundMs = 50;

    /// <summary>A call that failed (no answer, an error, or not valid) counts as failed and, whatever its time, over the bound.</summary>
    public static VerifyLatency Of(IReadOnlyCollection<VerifyCall> calls)
    {
        if (calls.Count == 0)
        {
            return new VerifyLatency(0, 0, 0, 0, 0);
        }

        var sorted = calls.Select(c => c.Milliseconds).Order().ToArray();
        // The nearest-rank percentile: the smallest time at least 99 % of the calls took no longer than.
        var rank = (int)Math.Ceiling(0.99 * sorted.Length) - 1;
        return new VerifyLatency(
            calls.Count,
            sorted[rank],
            sorted[^1],
            calls.Count(c => !c.Valid || c.Milliseconds > BoundMs),
            calls.Count(c => !c.Valid));
    }
}
