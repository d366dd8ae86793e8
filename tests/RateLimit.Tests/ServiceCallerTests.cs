using System.Net;
using System.Net.Http.Headers;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Testing;

namespace SentryFlow.RateLimit.Tests;

/// <summary>SentryFlow's own services (ingest limiting a project's intake) ask for decisions in any project.</summary>
public sealed class ServiceCallerTests(RateLimitFactory factory) : IClassFixture<RateLimitFactory>
{
    [Fact]
    public async Task A_service_token_checks_any_project_and_a_user_of_another_project_cannot()
    {
        var project = Guid.NewGuid();
        using (var admin = factory.ClientFor(OrganizationRole.Admin, project))
        {
            await admin.CreatePolicyAsync(project, PolicyClient.Policy("ingest", "fixedWindow", 1, 60));
        }

        using var service = factory.CreateClient();
        service.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForService("ingest"));
        using var stranger = factory.ClientFor(OrganizationRole.Owner, Guid.NewGuid());
        var check = new { projectId = project, policy = "ingest", keyId = "k" };

        var (first, _, firstResponse) = await service.CheckAsync(check);
        var (second, _, secondResponse) = await service.CheckAsync(check);
        var (strangers, _, strangerResponse) = await stranger.CheckAsync(check);
        firstResponse.Dispose();
        secondResponse.Dispose();
        strangerResponse.Dispose();

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.TooManyRequests, second);
        Assert.Equal(HttpStatusCode.Forbidden, strangers);
    }
}
