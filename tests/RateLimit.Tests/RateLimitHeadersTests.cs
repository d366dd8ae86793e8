using SentryFlow.RateLimit.Decisions;

namespace SentryFlow.RateLimit.Tests;

/// <summary>The one helper that renders the RateLimit fields (draft-ietf-httpapi-ratelimit-headers-11) for the service, gateways and SDKs.</summary>
public sealed class RateLimitHeadersTests
{
    [Fact]
    public void Several_limits_are_one_list_member_each_in_order()
    {
        LimitOutcome[] limits = [new("burst", 100, 60, 50, 29_000_001, 0), new("day", 1000, 86400, 999, 86_400_000_000, 0)];

        var (policy, rateLimit, retryAfter) = RateLimitHeaders.Render(limits, allowed: true);

        Assert.Equal("\"burst\";q=100;w=60, \"day\";q=1000;w=86400", policy);
        Assert.Equal("\"burst\";r=50;t=30, \"day\";r=999;t=86400", rateLimit); // reset rounded up to whole seconds
        Assert.Null(retryAfter);
    }

    [Fact]
    public void A_rejection_waits_for_the_slowest_limit_rounded_up_and_never_less_than_a_second()
    {
        LimitOutcome[] limits = [new("burst", 10, 1, 0, 400_000, 200_000), new("minute", 100, 60, -3, 30_000_000, 12_500_000)];

        var (_, rateLimit, retryAfter) = RateLimitHeaders.Render(limits, allowed: false);

        Assert.Equal("13", retryAfter);
        Assert.Equal("\"burst\";r=0;t=1, \"minute\";r=0;t=30", rateLimit); // remaining is never negative
        Assert.Equal("1", RateLimitHeaders.Render([new LimitOutcome("l", 5, 1, 0, 0, 1)], allowed: false).RetryAfter);
        // -1: the cost is above the limit, so the advice is the full reset.
        Assert.Equal("45", RateLimitHeaders.Render([new LimitOutcome("l", 5, 60, 5, 44_100_000, -1)], allowed: false).RetryAfter);
    }

    [Theory]
    [InlineData("main", "\"main\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("café\tx", "\"caf??x\"")]
    public void Names_are_structured_field_strings(string name, string quoted) =>
        Assert.Equal(quoted, RateLimitHeaders.QuotedString(name));
}
