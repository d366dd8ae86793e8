using System.Diagnostics.Metrics;
using SentryFlow.ServiceDefaults;

namespace SentryFlow.Ingest;

/// <summary>
/// Ingest's own metrics, on <c>/metrics</c> with the rest (meter named after the service); every counter is exported
/// at 0 from the start (<see cref="ServiceMetrics"/>).
/// </summary>
public sealed class IngestMetrics
{
    public IngestMetrics(IMeterFactory meters, IHostEnvironment environment)
    {
        var meter = meters.Create(environment.ApplicationName);
        Accepted = meter.CreateCounter<long>("sentryflow.ingest.accepted", "{item}", "Records and events accepted onto the bus.");
        Rejected = meter.CreateCounter<long>("sentryflow.ingest.rejected", "{item}", "Items refused, by field.");
        Duplicates = meter.CreateCounter<long>("sentryflow.ingest.duplicates", "{item}", "Items already accepted within the idempotency window.");
        Bytes = meter.CreateCounter<long>("sentryflow.ingest.received", ServiceMetrics.Bytes, "Request body bytes received.");
        RateLimited = meter.CreateCounter<long>("sentryflow.ingest.rate_limited", "{item}", "Items refused because the project's ingest limit was exhausted.");
        RateLimitFailures = meter.CreateCounter<long>("sentryflow.ingest.rate_limit_failures", "{post}", "Posts let in because the rate-limit service could not decide.");
        IdempotencyUnchecked = meter.CreateCounter<long>("sentryflow.ingest.idempotency_unchecked", "{post}",
            "Posts whose ids Redis could not look up or mark: accepted all the same, analytics' store-time dedupe keeps resent items out.");
        PublishDuration = meter.CreateHistogram("sentryflow.ingest.publish.duration", ServiceMetrics.Seconds, "Time until the broker confirmed a batch.",
            advice: ServiceMetrics.CallDuration);
        foreach (var counter in (Counter<long>[])[Accepted, Rejected, Duplicates, Bytes, RateLimited, RateLimitFailures, IdempotencyUnchecked])
        {
            ServiceMetrics.StartAtZero(counter);
        }
    }

    public Counter<long> Accepted { get; }

    public Counter<long> Rejected { get; }

    public Counter<long> Duplicates { get; }

    public Counter<long> Bytes { get; }

    public Counter<long> RateLimited { get; }

    public Counter<long> RateLimitFailures { get; }

    public Counter<long> IdempotencyUnchecked { get; }

    /// <summary>In seconds.</summary>
    public Histogram<double> PublishDuration { get; }
}
