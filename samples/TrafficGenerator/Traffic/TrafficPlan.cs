namespace SentryFlow.Samples.TrafficGenerator.Traffic;

/// <summary>
/// Which requests to send in each second: for each consumer a Poisson number of requests at its peak rate times the
/// day's factor (<see cref="DailyCurve"/>), kinds drawn from its mix, at random moments in the second, plus its bursts
/// when one is due. Each second is drawn from its own generator seeded by the plan's seed and the second's index, so
/// the same seed plans the same seconds whatever order they are asked for in.
/// </summary>
public sealed class TrafficPlan
{
    private readonly IReadOnlyList<ConsumerProfile> _consumers;
    private readonly DailyCurve _curve;
    private readonly int _seed;
    private readonly double _rateScale;

    public TrafficPlan(IReadOnlyList<ConsumerProfile> consumers, DailyCurve curve, int seed, double rateScale = 1.0)
    {
        if (consumers.Any(c => c.Mix.Count == 0 || c.Mix.Values.Any(w => w < 0) || c.Mix.Values.Sum() <= 0))
        {
            throw new ArgumentException("Every consumer needs a mix with a positive total weight.", nameof(consumers));
        }

        _consumers = consumers;
        _curve = curve;
        _seed = seed;
        _rateScale = rateScale >= 0 ? rateScale : throw new ArgumentOutOfRangeException(nameof(rateScale));
    }

    public IReadOnlyList<ConsumerProfile> Consumers => _consumers;

    public DailyCurve Curve => _curve;

    /// <summary>The requests of second <paramref name="second"/> (0 is the plan's first), in the order they are due.</summary>
    public IReadOnlyList<PlannedRequest> Second(long second)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(second);
        var random = new Random(unchecked((int)(_seed * 1_000_003L + second)));
        var start = TimeSpan.FromSeconds(second);
        var factor = _curve.FactorAt(start);
        var planned = new List<PlannedRequest>();
        foreach (var consumer in _consumers)
        {
            var count = Poisson(random, consumer.PeakRatePerSecond * factor * _rateScale);
            for (var i = 0; i < count; i++)
            {
                planned.Add(new(start + TimeSpan.FromSeconds(random.NextDouble()), consumer.Owner, Draw(random, consumer.Mix), InBurst: false));
            }

            if (BurstStartsIn(consumer, start) is { } burstStart)
            {
                for (var i = 0; i < consumer.BurstSize; i++)
                {
                    var at = burstStart + ConsumerProfile.BurstSpread * i / consumer.BurstSize;
                    planned.Add(new(at, consumer.Owner, Draw(random, consumer.Mix), InBurst: true));
                }
            }
        }

        planned.Sort((a, b) => a.At.CompareTo(b.At));
        return planned;
    }

    /// <summary>When <paramref name="consumer"/>'s burst starts within the second at <paramref name="secondStart"/>, if one does.</summary>
    public static TimeSpan? BurstStartsIn(ConsumerProfile consumer, TimeSpan secondStart)
    {
        if (!consumer.Bursts)
        {
            return null;
        }

        var first = consumer.FirstBurstAfter ?? consumer.BurstEvery!.Value;
        var every = consumer.BurstEvery!.Value;
        var secondEnd = secondStart + TimeSpan.FromSeconds(1);
        if (secondEnd <= first)
        {
            return null;
        }

        // The first burst at or after the second's start.
        var index = secondStart <= first ? 0 : (long)Math.Ceiling((secondStart - first).Ticks / (double)every.Ticks);
        var at = first + every * index;
        return at < secondEnd ? at : null;
    }

    private static RequestKind Draw(Random random, IReadOnlyDictionary<RequestKind, double> mix)
    {
        var pick = random.NextDouble() * mix.Values.Sum();
        foreach (var (kind, weight) in mix)
        {
            if (pick < weight)
            {
                return kind;
            }

            pick -= weight;
        }

        return mix.Keys.Last();
    }

    // Knuth's method: fine for the small means (a few a second) planned here.
    private static int Poisson(Random random, double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        var limit = Math.Exp(-mean);
        var count = 0;
        var product = random.NextDouble();
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }

        return count;
    }
}
