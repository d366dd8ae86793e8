using SentryFlow.Testing;

namespace SentryFlow.Identity.Tests;

public sealed class IdentitySmokeTests(ServiceFactory<Program> factory) : ServiceWithDatabaseSmokeTests<Program>(factory), IClassFixture<ServiceFactory<Program>>;
