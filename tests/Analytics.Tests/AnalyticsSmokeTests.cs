using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

public sealed class AnalyticsSmokeTests(ServiceFactory<Program> factory) : ServiceWithDatabaseSmokeTests<Program>(factory), IClassFixture<ServiceFactory<Program>>
{
    protected override IReadOnlyList<string> DocumentedCounters =>
    [
        "sentryflow_analytics_live_publish_failures_total", "sentryflow_analytics_live_watchers",
        "sentryflow_analytics_query_cache_failures_total", "sentryflow_analytics_query_cache_lookups_total",
    ];
}
