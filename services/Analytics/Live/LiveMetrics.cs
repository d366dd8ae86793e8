using System.Diagnostics.Metrics;
using SentryFlow.ServiceDefaults;

namespace SentryFlow.Analytics.Live;

/// <summary>
/// The live view's and tail's metrics, on <c>/metrics</c> with the rest (meter named after the service), each exported
/// at 0 from the start.
/// </summary>
public sealed class LiveMetrics
{
    public LiveMetrics(IMeterFactory meters, IHostEnvironment environment)
    {
        var meter = meters.Create(environment.ApplicationName);
        Watchers = meter.CreateUpDownCounter<long>("sentryflow.analytics.live.watchers", "{stream}", "Live-view and tail streams open on this instance.");
        PublishFailures = meter.CreateCounter<long>(
            "sentryflow.analytics.live.publish_failures", "{batch}", "Stored batches not sent to live watchers because Redis did not answer.");
        TailDropped = meter.CreateCounter<long>("sentryflow.analytics.live.tail_dropped", "{record}", "Tail records not sent to a client that fell behind or over its rate.");
        ServiceMetrics.StartAtZero(Watchers);
        ServiceMetrics.StartAtZero(PublishFailures);
        ServiceMetrics.StartAtZero(TailDropped);
    }

    public UpDownCounter<long> Watchers { get; }

    public Counter<long> PublishFailures { get; }

    public Counter<long> TailDropped { get; }
}
