using SentryFlow.Testing;

namespace SentryFlow.Keys.Tests;

public sealed class KeysSmokeTests(ServiceFactory<Program> factory) : ServiceSmokeTests<Program>(factory), IClassFixture<ServiceFactory<Program>>;
