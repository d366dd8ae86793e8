using System.Net.Http.Headers;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Testing;

namespace SentryFlow.RateLimit.Tests;

/// <summary>The rate-limit service against the real servers (trusting <see cref="TestTokens"/>, as every <see cref="ServiceFactory{TProgram}"/> does).</summary>
public class RateLimitFactory : ServiceFactory<Program>
{
    public RateLimitFactory()
    {
        Settings["RateLimit:ExceededReportInterval"] = "00:00:00.500";
        // A Debug test host on 2 busy cores sometimes takes longer than 50 ms to run a continuation; these tests check
        // exactness, so they must not fall back. The Redis-down tests use the production budget (RedisDownTests).
        Settings["RateLimit:RedisTimeout"] = "00:00:00.500";
    }

    public Guid ProjectId { get; } = Guid.NewGuid();

    /// <summary>A client with a token holding <paramref name="role"/> in <paramref name="projectId"/> (default: this factory's project).</summary>
    public HttpClient ClientFor(OrganizationRole role, Guid? projectId = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForProjects(role, projectId ?? ProjectId));
        return client;
    }
}
