using System.Net;
using System.Net.Http.Json;
using SentryFlow.Testing;

namespace SentryFlow.Identity.Tests;

/// <summary>Registration and sign-in are throttled per address, and sign-in also per account.</summary>
public sealed class ThrottleTests(ThrottleTests.StrictIdentityFactory factory) : IClassFixture<ThrottleTests.StrictIdentityFactory>
{
    public sealed class StrictIdentityFactory : ServiceFactory<Program>
    {
        public StrictIdentityFactory()
        {
            Settings["Identity:Throttle:RegisterPerAddressPerMinute"] = "3";
            Settings["Identity:Throttle:SignInPerAccountPerMinute"] = "2";
        }
    }

    private readonly IdentityClient _identity = new(factory);

    [Fact]
    public async Task Registration_beyond_the_per_address_limit_gets_429_with_retry_after_and_its_code()
    {
        var answers = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await _identity.Anonymous.PostAsJsonAsync("/api/account/register",
                new { email = IdentityClient.NewEmail(), password = IdentityClient.Password, displayName = "x" });
            answers.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], answers);
        await AssertThrottledAsync(last!, "identity.registration_throttled");
        last!.Dispose();
    }

    private static async Task AssertThrottledAsync(HttpResponseMessage response, string code)
    {
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After: {response.Headers.RetryAfter}");
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_per_account_limit_get_429_even_with_the_right_password()
    {
        var email = IdentityClient.NewEmail();
        using (await _identity.RequestTokenAsync(("grant_type", "password"), ("username", email), ("password", "Wrong-Password-1")))
        using (await _identity.RequestTokenAsync(("grant_type", "password"), ("username", email), ("password", "Wrong-Password-2")))
        {
        }

        using var third = await _identity.RequestTokenAsync(("grant_type", "password"), ("username", email), ("password", IdentityClient.Password));

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        await AssertThrottledAsync(third, "identity.sign_in_throttled");
    }
}
