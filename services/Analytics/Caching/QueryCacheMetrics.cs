using System.Diagnostics.Metrics;
using SentryFlow.ServiceDefaults;

namespace SentryFlow.Analytics.Caching;

/// <summary>
/// The query cache's metrics, on <c>/metrics</c> with the rest (meter named after the service), each exported at 0 from
/// the start (lookups once per outcome).
/// </summary>
public sealed class QueryCacheMetrics
{
    public QueryCacheMetrics(IMeterFactory meters, IHostEnvironment environment)
    {
        var meter = meters.Create(environment.ApplicationName);
        Lookups = meter.CreateCounter<long>(
            "sentryflow.analytics.query_cache.lookups", "{query}", "Cacheable queries, by outcome: hit, miss, stale (new records since), bypass (Redis away).");
        Failures = meter.CreateCounter<long>(
            "sentryflow.analytics.query_cache.failures", "{query}", "Queries answered from PostgreSQL alone because Redis did not answer.");
        ServiceMetrics.StartAtZero(Lookups, "outcome", CacheLookup.Hit, CacheLookup.Miss, CacheLookup.Stale, CacheLookup.Bypass);
        ServiceMetrics.StartAtZero(Failures);
    }

    public Counter<long> Lookups { get; }

    public Counter<long> Failures { get; }
}
