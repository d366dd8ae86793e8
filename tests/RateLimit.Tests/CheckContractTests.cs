using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Contracts.RateLimit;

namespace SentryFlow.RateLimit.Tests;

/// <summary>
/// The check endpoint speaks the shared contract (what ingest sends and reads): "this project has no such policy" is
/// an explicit answer when the caller allows it, and a coded 400 when not.
/// </summary>
public sealed class CheckContractTests(RateLimitFactory factory) : IClassFixture<RateLimitFactory>
{
    private readonly Guid _project = Guid.NewGuid();

    [Fact]
    public async Task A_missing_policy_is_admitted_with_source_none_when_the_request_allows_it()
    {
        using var member = factory.ClientFor(OrganizationRole.Member, _project);

        using var response = await member.PostAsJsonAsync("/v1/ratelimit/check",
            new CheckRequest(_project, "ingest", Identifier: "whole-project", Cost: 5, AllowWithoutPolicy: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<CheckResponse>();
        Assert.True(answer!.Allowed);
        Assert.Equal(CheckSources.None, answer.Source);
        Assert.Empty(answer.Policies);
    }

    [Fact]
    public async Task A_missing_policy_is_a_400_coded_policy_unknown_by_default()
    {
        using var member = factory.ClientFor(OrganizationRole.Member, _project);

        using var response = await member.PostAsJsonAsync("/v1/ratelimit/check", new CheckRequest(_project, "ingest", Identifier: "whole-project"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ratelimit.policy_unknown", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("policy", out _));
    }

    [Fact]
    public async Task A_policy_that_exists_is_decided_even_when_a_missing_one_would_be_allowed()
    {
        using (var admin = factory.ClientFor(OrganizationRole.Admin, _project))
        {
            await admin.CreatePolicyAsync(_project, PolicyClient.Policy("ingest", "fixedWindow", 3, 60));
        }

        using var member = factory.ClientFor(OrganizationRole.Member, _project);
        using var admitted = await member.PostAsJsonAsync("/v1/ratelimit/check", new CheckRequest(_project, "ingest", Identifier: "p", Cost: 3, AllowWithoutPolicy: true));
        using var rejected = await member.PostAsJsonAsync("/v1/ratelimit/check", new CheckRequest(_project, "ingest", Identifier: "p", AllowWithoutPolicy: true));

        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal(CheckSources.Redis, (await admitted.Content.ReadFromJsonAsync<CheckResponse>())!.Source);
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        var answer = await rejected.Content.ReadFromJsonAsync<CheckResponse>();
        Assert.False(answer!.Allowed);
        Assert.NotNull(answer.Headers?.RetryAfter);
    }

    [Theory]
    [InlineData("""{"projectId":"PROJECT","policy":"p","identifier":"i","cost":-1}""", "cost")]
    [InlineData("""{"projectId":"PROJECT","route":"orders","keyId":"k"}""", "route")]
    [InlineData("""{"projectId":"PROJECT","items":[{"policy":"p","keyId":"k","cost":-2}]}""", "items[0].cost")]
    public async Task Malformed_checks_are_400s_coded_check_invalid(string json, string field)
    {
        using var member = factory.ClientFor(OrganizationRole.Member, _project);
        var path = json.Contains("items", StringComparison.Ordinal) ? "/v1/ratelimit/check-batch" : "/v1/ratelimit/check";

        using var response = await member.PostAsync(path,
            new StringContent(json.Replace("PROJECT", _project.ToString()), System.Text.Encoding.UTF8, "application/json"));

        var problem = await PolicyClient.AssertValidationProblemAsync(response, field);
        Assert.Equal("ratelimit.check_invalid", problem.GetProperty("code").GetString());
    }
}
