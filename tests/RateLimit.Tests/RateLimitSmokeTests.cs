using SentryFlow.Testing;

namespace SentryFlow.RateLimit.Tests;

public sealed class RateLimitSmokeTests(RateLimitFactory factory) : ServiceWithDatabaseSmokeTests<Program>(factory), IClassFixture<RateLimitFactory>
{
    protected override IReadOnlyList<string> DocumentedCounters => ["ratelimit_decisions_total", "ratelimit_redis_failures_total", "ratelimit_redis_breaker_open"];
}
