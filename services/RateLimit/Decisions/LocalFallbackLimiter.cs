using System.Collections.Concurrent;

namespace SentryFlow.RateLimit.Decisions;

/// <summary>
/// The in-process limiter a fail-open policy falls back on while Redis cannot answer: a fixed window per limit and
/// identifier, on this instance only (so with N instances a caller can get up to N times the limit). It keeps the
/// platform from being unlimited during an outage without adding any latency.
/// </summary>
public sealed class LocalFallbackLimiter(TimeProvider time)
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    public (bool Allowed, LimitOutcome[] Limits) Evaluate(string keyPrefix, string identifier, IReadOnlyList<EffectiveLimit> limits, long cost)
    {
        if (_counters.Count > MaxEntries)
        {
            _counters.Clear(); // crude, but bounded: an outage with a huge key space restarts its local windows
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        var counters = new Counter[limits.Count];
        var outcomes = new LimitOutcome[limits.Count];
        var allowed = true;
        for (var i = 0; i < limits.Count; i++)
        {
            var limit = limits[i];
            counters[i] = _counters.GetOrAdd($"{keyPrefix}{limit.Name}:{identifier}", _ => new Counter());
        }

        // Check and charge under the counters' locks, in a fixed order (the limits' order), all-or-nothing.
        var windows = new long[limits.Count];
        for (var i = 0; i < limits.Count; i++)
        {
            Monitor.Enter(counters[i]);
        }

        try
        {
            for (var i = 0; i < limits.Count; i++)
            {
                var limit = limits[i];
                var window = now / limit.WindowMicros;
                windows[i] = window;
                var used = counters[i].Window == window ? counters[i].Used : 0;
                var reset = (window + 1) * limit.WindowMicros - now;
                var admits = used + cost <= limit.Limit;
                allowed &= admits;
                outcomes[i] = new LimitOutcome(limit.Name, limit.Limit, limit.WindowSeconds, limit.Limit - used - (admits ? cost : 0), reset,
                    admits ? 0 : cost <= limit.Limit ? reset : -1);
            }

            for (var i = 0; i < limits.Count; i++)
            {
                if (allowed)
                {
                    if (counters[i].Window != windows[i])
                    {
                        counters[i].Window = windows[i];
                        counters[i].Used = 0;
                    }

                    counters[i].Used += cost;
                }
                else if (outcomes[i].Admits)
                {
                    outcomes[i] = outcomes[i] with { Remaining = outcomes[i].Remaining + cost };
                }
            }
        }
        finally
        {
            for (var i = limits.Count - 1; i >= 0; i--)
            {
                Monitor.Exit(counters[i]);
            }
        }

        return (allowed, outcomes);
    }

    private sealed class Counter
    {
        public long Window;
        public long Used;
    }
}
