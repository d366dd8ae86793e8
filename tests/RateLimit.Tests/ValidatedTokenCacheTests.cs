using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using SentryFlow.Contracts.Authorization;
using SentryFlow.ServiceDefaults.Authentication;
using SentryFlow.Testing;

namespace SentryFlow.RateLimit.Tests;

/// <summary>
/// The check endpoints authenticate a token they validated before from memory (<see cref="ValidatedTokenCache"/>):
/// only the exact same, unexpired token; anything else is validated in full.
/// </summary>
public sealed class ValidatedTokenCacheTests(RateLimitFactory factory) : IClassFixture<RateLimitFactory>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_token_is_remembered_until_it_expires_and_never_longer_than_the_maximum_age()
    {
        var clock = new ManualClock(Start);
        var cache = new ValidatedTokenCache(clock);
        cache.Add("short", Principal("a"), Start.AddMinutes(1));
        cache.Add("long", Principal("b"), Start.AddHours(1));

        Assert.True(cache.TryGet("short", out var first));
        Assert.Equal("a", first.FindFirst("sub")?.Value);
        clock.Now = Start.AddMinutes(1);
        Assert.False(cache.TryGet("short", out _));
        Assert.True(cache.TryGet("long", out _));
        clock.Now = Start + ValidatedTokenCache.MaxAge;
        Assert.False(cache.TryGet("long", out _));
    }

    [Fact]
    public void Only_the_exact_token_matches_and_each_caller_gets_its_own_copy()
    {
        var cache = new ValidatedTokenCache(new ManualClock(Start));
        cache.Add("header.payload.signature", Principal("a"), Start.AddMinutes(10));

        Assert.False(cache.TryGet("header.payload.signaturf", out _));
        Assert.False(cache.TryGet("header.payload.signatur", out _));
        Assert.True(cache.TryGet("header.payload.signature", out var first));
        ((ClaimsIdentity)first.Identity!).AddClaim(new Claim(SentryFlowClaims.ProjectRole, "added by a request"));
        Assert.True(cache.TryGet("header.payload.signature", out var second));
        Assert.Empty(second.FindAll(SentryFlowClaims.ProjectRole));
    }

    [Fact]
    public void An_expired_token_is_not_remembered()
    {
        var cache = new ValidatedTokenCache(new ManualClock(Start));
        cache.Add("old", Principal("a"), Start.AddSeconds(-1));
        Assert.False(cache.TryGet("old", out _));
    }

    [Fact]
    public async Task After_a_token_is_cached_an_altered_copy_of_it_is_still_rejected()
    {
        var project = Guid.NewGuid();
        using var admin = factory.ClientFor(OrganizationRole.Admin, project);
        await admin.CreatePolicyAsync(project, PolicyClient.Policy("p", "fixedWindow", 100, 60));
        var token = TestTokens.ForProjects(OrganizationRole.Member, project);
        using var member = factory.CreateClient();
        member.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        for (var i = 0; i < 2; i++)
        {
            var (status, _, response) = await member.CheckAsync(new { projectId = project, policy = "p", keyId = "k" });
            response.Dispose();
            Assert.Equal(HttpStatusCode.OK, status);
        }

        // The signature's last character changed; and the payload of a token for another project with this signature.
        var parts = token.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{parts[2][..^1]}{(parts[2][^1] == 'A' ? 'B' : 'A')}";
        var otherPayload = TestTokens.ForProjects(OrganizationRole.Owner, Guid.NewGuid(), project).Split('.')[1];
        foreach (var altered in new[] { forged, $"{parts[0]}.{otherPayload}.{parts[2]}" })
        {
            using var attacker = factory.CreateClient();
            attacker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", altered);
            var (status, _, response) = await attacker.CheckAsync(new { projectId = project, policy = "p", keyId = "k" });
            response.Dispose();
            Assert.Equal(HttpStatusCode.Unauthorized, status);
        }
    }

    private static ClaimsPrincipal Principal(string subject) => new(new ClaimsIdentity([new Claim("sub", subject)], "Bearer"));
}
