using SentryFlow.Testing;

namespace SentryFlow.RateLimit.Tests;

public sealed class RateLimitSmokeTests(RateLimitFactory factory) : ServiceSmokeTests<Program>(factory), IClassFixture<RateLimitFactory>;
