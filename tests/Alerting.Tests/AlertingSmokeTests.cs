using SentryFlow.Testing;

namespace SentryFlow.Alerting.Tests;

public sealed class AlertingSmokeTests(ServiceFactory<Program> factory) : ServiceWithDatabaseSmokeTests<Program>(factory), IClassFixture<ServiceFactory<Program>>;
