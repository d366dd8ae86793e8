using SentryFlow.Testing;

namespace SentryFlow.Ingest.Tests;

public sealed class IngestSmokeTests(ServiceFactory<Program> factory) : ServiceSmokeTests<Program>(factory), IClassFixture<ServiceFactory<Program>>
{
    protected override IReadOnlyList<string> DocumentedCounters =>
    [
        "sentryflow_ingest_accepted_total", "sentryflow_ingest_rejected_total", "sentryflow_ingest_duplicates_total",
        "sentryflow_ingest_received_bytes_total", "sentryflow_ingest_rate_limited_total", "sentryflow_ingest_rate_limit_failures_total",
    ];

    [Fact]
    public async Task Ingest_keeps_no_database()
    {
        _ = Factory.Server;
        Assert.Equal(0L, await ServiceWithDatabaseSmokeTests<Program>.DatabaseCountAsync(Factory));
    }
}
