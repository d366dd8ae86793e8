using SentryFlow.Testing;

namespace SentryFlow.Ingest.Tests;

public sealed class IngestSmokeTests(ServiceFactory<Program> factory) : ServiceSmokeTests<Program>(factory), IClassFixture<ServiceFactory<Program>>;
