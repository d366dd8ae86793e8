using SentryFlow.Testing;

namespace SentryFlow.Ingest.Tests;

public sealed class IngestSmokeTests(ServiceFactory<Program> factory) : ServiceSmokeTests<Program>(factory), IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task Ingest_keeps_no_database()
    {
        _ = Factory.Server;
        Assert.Equal(0L, await ServiceWithDatabaseSmokeTests<Program>.DatabaseCountAsync(Factory));
    }
}
