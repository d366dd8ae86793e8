using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

public sealed class AnalyticsSmokeTests(ServiceFactory<Program> factory) : ServiceWithDatabaseSmokeTests<Program>(factory), IClassFixture<ServiceFactory<Program>>;
