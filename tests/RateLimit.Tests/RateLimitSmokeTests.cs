using SentryFlow.Testing;

namespace SentryFlow.RateLimit.Tests;

public sealed class RateLimitSmokeTests(RateLimitFactory factory) : ServiceWithDatabaseSmokeTests<Program>(factory), IClassFixture<RateLimitFactory>;
