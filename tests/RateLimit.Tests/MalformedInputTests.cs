using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Contracts.Authorization;
using SentryFlow.RateLimit.Infrastructure;
using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Tests;

/// <summary>Bad input to the policy and counter APIs is a 400 naming the field with a code; a missing thing a 404 with one; never a 500.</summary>
public sealed class MalformedInputTests(RateLimitFactory factory) : IClassFixture<RateLimitFactory>
{
    private readonly Guid _project = Guid.NewGuid();

    private HttpClient Admin => factory.ClientFor(OrganizationRole.Admin, _project);

    private string Policies => PolicyClient.PoliciesPath(_project);

    [Theory]
    [InlineData("""{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"limits":[null]}""", "limits[0]")]
    [InlineData("""{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"limits":[{"name":"m","limit":5,"windowSeconds":1},null]}""", "limits[1]")]
    [InlineData("""{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"routes":[null],"limits":[{"name":"m","limit":5,"windowSeconds":1}]}""", "routes[0]")]
    [InlineData("""{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"methods":[null],"limits":[{"name":"m","limit":5,"windowSeconds":1}]}""", "methods[0]")]
    [InlineData("""{"name":"p","algorithm":"fixedWindow","partitionBy":[null],"limits":[{"name":"m","limit":5,"windowSeconds":1}]}""", "partitionBy[0]")]
    [InlineData("""{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"limits":[{"name":"m","limit":1e30,"windowSeconds":1}]}""", "limits[0].limit")]
    [InlineData("""{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"limits":[{"name":"m","limit":"five","windowSeconds":1}]}""", "limits[0].limit")]
    [InlineData("""{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"limits":{"name":"m"}}""", "limits")]
    [InlineData("""{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"limits":[{"name":"m","limit":5,"windowSeconds":1}],"failureMode":"sideways"}""", "failureMode")]
    public async Task Bad_policies_are_a_400_naming_the_field(string json, string field)
    {
        using var admin = Admin;

        using var created = await admin.PostAsync(Policies, Json(json));
        await PolicyClient.AssertValidationProblemAsync(created, field);

        var existing = await admin.CreatePolicyAsync(_project, PolicyClient.Policy($"p{Guid.NewGuid():n}", "fixedWindow", 10, 60));
        using var replaced = await admin.PutAsync($"{Policies}/{existing.GetProperty("id").GetGuid()}", Json(json));
        await PolicyClient.AssertValidationProblemAsync(replaced, field);
    }

    [Fact]
    public async Task A_route_list_too_long_or_a_route_too_long_is_a_400()
    {
        using var admin = Admin;
        var longRoute = "/" + new string('a', 300);

        using var tooMany = await admin.PostAsJsonAsync(Policies, new
        {
            name = "many", algorithm = "fixedWindow", partitionBy = new[] { "keyId" },
            routes = Enumerable.Range(0, 33).Select(i => $"/r{i}").ToArray(), limits = new[] { new { name = "m", limit = 5, windowSeconds = 1 } },
        });
        using var tooLong = await admin.PostAsJsonAsync(Policies, new
        {
            name = "long", algorithm = "fixedWindow", partitionBy = new[] { "keyId" },
            routes = new[] { longRoute }, limits = new[] { new { name = "m", limit = 5, windowSeconds = 1 } },
        });

        await PolicyClient.AssertValidationProblemAsync(tooMany, "routes");
        await PolicyClient.AssertValidationProblemAsync(tooLong, "routes[0]");
    }

    [Theory]
    [InlineData("""{"target":"owner","pattern":"*@acme.com","limits":[null]}""", "limits[0]", "ratelimit.override_invalid")]
    [InlineData("""{"target":"owner","pattern":"*@acme.com","limits":[{"name":"main","limit":5},null]}""", "limits[1]", "ratelimit.override_invalid")]
    [InlineData("""{"target":"owner","pattern":"*@acme.com","limits":[{"name":"nope","limit":5}]}""", "limits[0].name", "ratelimit.override_invalid")]
    [InlineData("""{"target":"owner","pattern":"***","limits":[{"name":"main","limit":5}]}""", "pattern", "ratelimit.override_invalid")]
    [InlineData("""{"target":"owner","pattern":null,"limits":[{"name":"main","limit":5}]}""", "pattern", "request.invalid")]
    [InlineData("""{"target":"owner","pattern":"x","limits":null}""", "limits", "request.invalid")]
    [InlineData("""{"target":"owner","pattern":"x","limits":[{"name":"main","limit":-5}]}""", "limits[0].limit", "request.invalid")]
    public async Task Bad_overrides_are_a_400_naming_the_field_with_a_code(string json, string field, string code)
    {
        using var admin = Admin;
        var policy = await admin.CreatePolicyAsync(_project, PolicyClient.Policy($"o{Guid.NewGuid():n}", "fixedWindow", 10, 60));

        using var response = await admin.PostAsync($"{Policies}/{policy.GetProperty("id").GetGuid()}/overrides", Json(json));

        var problem = await PolicyClient.AssertValidationProblemAsync(response, field);
        Assert.Equal(code, problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_override_pattern_longer_than_an_identifier_is_a_400()
    {
        using var admin = Admin;
        var policy = await admin.CreatePolicyAsync(_project, PolicyClient.Policy("longpattern", "fixedWindow", 10, 60));

        using var response = await admin.PostAsJsonAsync(
            $"{Policies}/{policy.GetProperty("id").GetGuid()}/overrides", new { target = "owner", pattern = new string('p', 257), limits = new[] { new { name = "main", limit = 5 } } });

        await PolicyClient.AssertValidationProblemAsync(response, "pattern");
    }

    [Fact]
    public async Task Duplicates_and_conflicts_have_their_codes()
    {
        using var admin = Admin;
        var policy = await admin.CreatePolicyAsync(_project, PolicyClient.Policy("dup", "fixedWindow", 10, 60));
        var id = policy.GetProperty("id").GetGuid();
        using var sameName = await admin.PostAsJsonAsync(Policies, PolicyClient.Policy("dup", "fixedWindow", 10, 60));
        using var first = await admin.PostAsJsonAsync($"{Policies}/{id}/overrides", new { target = "owner", pattern = "vip", limits = new[] { new { name = "main", limit = 50 } } });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var again = await admin.PostAsJsonAsync($"{Policies}/{id}/overrides", new { target = "owner", pattern = "vip", limits = new[] { new { name = "main", limit = 60 } } });
        var renamed = new
        {
            name = "dup", algorithm = "fixedWindow", partitionBy = new[] { "keyId" }, limits = new[] { new { name = "other", limit = 5, windowSeconds = 1 } },
        };
        using var dropsOverridden = await admin.PutAsJsonAsync($"{Policies}/{id}", renamed);

        Assert.Equal("ratelimit.policy_name_taken", (await PolicyClient.AssertValidationProblemAsync(sameName, "name")).GetProperty("code").GetString());
        Assert.Equal("ratelimit.override_exists", (await PolicyClient.AssertValidationProblemAsync(again, "pattern")).GetProperty("code").GetString());
        Assert.Equal("ratelimit.limit_in_use", (await PolicyClient.AssertValidationProblemAsync(dropsOverridden, "limits")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Missing_policies_and_overrides_are_404s_with_their_codes()
    {
        using var admin = Admin;
        var policy = await admin.CreatePolicyAsync(_project, PolicyClient.Policy("here", "fixedWindow", 10, 60));
        var id = policy.GetProperty("id").GetGuid();
        var missing = $"{Policies}/{Guid.NewGuid()}";

        (HttpResponseMessage Response, string Code)[] answers =
        [
            (await admin.GetAsync(missing), "ratelimit.policy_not_found"),
            (await admin.PutAsJsonAsync(missing, PolicyClient.Policy("x", "fixedWindow", 1, 1)), "ratelimit.policy_not_found"),
            (await admin.DeleteAsync(missing), "ratelimit.policy_not_found"),
            (await admin.PostAsJsonAsync($"{missing}/overrides", new { target = "owner", pattern = "x", limits = new[] { new { name = "main", limit = 5 } } }), "ratelimit.policy_not_found"),
            (await admin.GetAsync($"{missing}/counters?identifier=a"), "ratelimit.policy_not_found"),
            (await admin.DeleteAsync($"{Policies}/{id}/overrides/{Guid.NewGuid()}"), "ratelimit.override_not_found"),
        ];

        foreach (var (response, code) in answers)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{response.RequestMessage!.RequestUri}: {(int)response.StatusCode} {body}");
            Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_policy_takes_at_most_a_thousand_overrides()
    {
        using var admin = Admin;
        var policyId = (await admin.CreatePolicyAsync(_project, PolicyClient.Policy("crowded", "fixedWindow", 10, 60))).GetProperty("id").GetGuid();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RateLimitDbContext>();
            db.Overrides.AddRange(Enumerable.Range(0, Limits.OverridesPerPolicy).Select(i => new PolicyOverride
            {
                PolicyId = policyId, Target = OverrideTarget.Owner, Pattern = $"owner-{i}", Limits = [new OverrideLimit { Name = "main", Limit = 20 }],
            }));
            await db.SaveChangesAsync();
        }

        using var oneMore = await admin.PostAsJsonAsync($"{Policies}/{policyId}/overrides", new { target = "owner", pattern = "owner-x", limits = new[] { new { name = "main", limit = 5 } } });

        var body = await oneMore.Content.ReadAsStringAsync();
        Assert.True(oneMore.StatusCode == HttpStatusCode.Conflict, body);
        Assert.Equal("ratelimit.too_many_overrides", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("GET", "?identifier=a&keyId={long}", "keyId")]
    [InlineData("GET", "?identifier=a&owner={long}", "owner")]
    [InlineData("GET", "?identifier={long}", "identifier")]
    [InlineData("GET", "", "identifier")]
    [InlineData("DELETE", "?identifier={long}", "identifier")]
    [InlineData("DELETE", "?identifier=", "identifier")]
    public async Task Counter_parameters_are_capped(string method, string query, string field)
    {
        using var admin = Admin;
        var policy = await admin.CreatePolicyAsync(_project, PolicyClient.Policy($"c{Guid.NewGuid():n}", "fixedWindow", 10, 60));
        var url = $"{Policies}/{policy.GetProperty("id").GetGuid()}/counters{query.Replace("{long}", new string('i', 257), StringComparison.Ordinal)}";

        using var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        await PolicyClient.AssertValidationProblemAsync(response, field);
    }

    [Theory]
    [InlineData("POST", "")]
    [InlineData("PUT", "/{policy}")]
    [InlineData("POST", "/{policy}/overrides")]
    public async Task An_empty_or_non_json_body_is_a_4xx(string method, string path)
    {
        using var admin = Admin;
        var policy = await admin.CreatePolicyAsync(_project, PolicyClient.Policy($"b{Guid.NewGuid():n}", "fixedWindow", 10, 60));
        var url = Policies + path.Replace("{policy}", policy.GetProperty("id").GetGuid().ToString(), StringComparison.Ordinal);

        using var empty = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = Json("") });
        using var notAnObject = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = Json("[1,2]") });
        using var text = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent("name=x", Encoding.UTF8, "text/plain") });

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notAnObject.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
    }

    [Fact]
    public async Task The_problem_catalogue_lists_the_rate_limit_codes()
    {
        using var client = factory.CreateClient();

        var problems = await client.GetFromJsonAsync<JsonElement[]>("/problems");

        var codes = problems!.Select(p => p.GetProperty("code").GetString()).ToHashSet();
        Assert.Subset(codes, new HashSet<string?>
        {
            "ratelimit.policy_not_found", "ratelimit.override_not_found", "ratelimit.policy_name_taken", "ratelimit.override_exists",
            "ratelimit.override_invalid", "ratelimit.limit_in_use", "ratelimit.too_many_overrides",
        });
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
