using SentryFlow.Testing;

namespace SentryFlow.Keys.Tests;

public sealed class KeysSmokeTests(ServiceFactory<Program> factory) : ServiceWithDatabaseSmokeTests<Program>(factory), IClassFixture<ServiceFactory<Program>>;
