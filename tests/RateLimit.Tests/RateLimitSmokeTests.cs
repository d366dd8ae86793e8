using SentryFlow.Testing;

namespace SentryFlow.RateLimit.Tests;

public sealed class RateLimitSmokeTests(ServiceFactory<Program> factory) : ServiceSmokeTests<Program>(factory), IClassFixture<ServiceFactory<Program>>;
