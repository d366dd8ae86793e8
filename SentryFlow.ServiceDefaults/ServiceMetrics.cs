using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SentryFlow.ServiceDefaults;

/// <summary>
/// What a service's own metrics share, so <c>/metrics</c> keeps Prometheus's conventions (<c>promtool check metrics</c>):
/// durations recorded in seconds (unit <c>s</c>, exported with a <c>_seconds</c> suffix) in buckets made for seconds,
/// sizes in bytes, and every counter exported from the first scrape, at 0, before its first increment (a rate or an
/// alert on a series that does not exist yet sees nothing).
/// </summary>
public static class ServiceMetrics
{
    /// <summary>The unit of a duration: seconds, as Prometheus and OpenTelemetry's semantic conventions want.</summary>
    public const string Seconds = "s";

    /// <summary>The unit of a size: bytes.</summary>
    public const string Bytes = "By";

    /// <summary>Buckets for a call across the network (as ASP.NET Core's request duration): 5 ms to 10 s.</summary>
    public static readonly InstrumentAdvice<double> CallDuration = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    };

    /// <summary>Buckets for a fast in-memory store's answer: 100 µs to 250 ms.</summary>
    public static readonly InstrumentAdvice<double> FastCallDuration = new()
    {
        HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    };

    /// <summary>
    /// Registers a service's metrics class (its instruments on the meter named after the application) as a singleton
    /// made as the host starts, once the meter provider listens, so the counters its constructor starts at 0 (with
    /// <see cref="StartAtZero"/>) are exported before anything happens. Made on first use instead, they would be missing
    /// until then, and a measurement taken before the provider listens is lost.
    /// </summary>
    public static IServiceCollection AddServiceMetrics<TMetrics>(this IServiceCollection services) where TMetrics : class
    {
        services.AddSingleton<TMetrics>();
        services.AddHostedService<MetricsStarter<TMetrics>>();
        return services;
    }

    /// <summary>Exports <paramref name="counter"/> at 0 for each of <paramref name="tagSets"/> (none: one series without tags).</summary>
    public static void StartAtZero<T>(Counter<T> counter, params KeyValuePair<string, object?>[][] tagSets) where T : struct
    {
        ArgumentNullException.ThrowIfNull(counter);
        if (tagSets.Length == 0)
        {
            counter.Add(default);
        }

        foreach (var tags in tagSets)
        {
            counter.Add(default, tags);
        }
    }

    /// <summary>Exports <paramref name="counter"/> at 0 once for each of <paramref name="values"/> of the tag <paramref name="tag"/>.</summary>
    public static void StartAtZero<T>(Counter<T> counter, string tag, params string[] values) where T : struct =>
        StartAtZero(counter, [.. values.Select(value => (KeyValuePair<string, object?>[])[new(tag, value)])]);

    /// <summary>Exports <paramref name="counter"/> at 0 (a gauge-like count, e.g. open streams).</summary>
    public static void StartAtZero<T>(UpDownCounter<T> counter) where T : struct
    {
        ArgumentNullException.ThrowIfNull(counter);
        counter.Add(default);
    }

    // Resolves the metrics in StartAsync, not in its constructor: the host makes every hosted service before starting
    // the first, and OpenTelemetry's meter provider is built when its own hosted service starts (it is registered first).
    private sealed class MetricsStarter<TMetrics>(IServiceProvider services) : IHostedService where TMetrics : class
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<TMetrics>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
