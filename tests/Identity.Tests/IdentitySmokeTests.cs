using SentryFlow.Testing;

namespace SentryFlow.Identity.Tests;

public sealed class IdentitySmokeTests(ServiceFactory<Program> factory) : ServiceSmokeTests<Program>(factory), IClassFixture<ServiceFactory<Program>>;
