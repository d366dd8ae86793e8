using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SentryFlow.Contracts.Authorization;

namespace SentryFlow.RateLimit.Tests;

public sealed class PoliciesApiTests(RateLimitFactory factory) : IClassFixture<RateLimitFactory>
{
    private readonly Guid _project = Guid.NewGuid();

    private HttpClient Admin => factory.ClientFor(OrganizationRole.Admin, _project);

    [Fact]
    public async Task Admin_creates_reads_replaces_lists_and_deletes_a_policy()
    {
        using var admin = Admin;
        var created = await admin.CreatePolicyAsync(_project, new
        {
            name = "api",
            algorithm = "slidingLog",
            partitionBy = new[] { "keyId", "ip" },
            routes = new[] { "/v1/orders/{id}", "/v1/**" },
            methods = new[] { "get", "POST" },
            limits = new object[] { new { name = "burst", limit = 100, windowSeconds = 60 }, new { name = "daily", limit = 10000, windowSeconds = 86400 } },
            failureMode = "closed",
        });
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal("slidingLog", created.GetProperty("algorithm").GetString());
        Assert.Equal(["keyId", "ip"], created.GetProperty("partitionBy").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["GET", "POST"], created.GetProperty("methods").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("closed", created.GetProperty("failureMode").GetString());

        var fetched = await admin.GetFromJsonAsync<JsonElement>($"{PolicyClient.PoliciesPath(_project)}/{id}");
        Assert.Equal(2, fetched.GetProperty("limits").GetArrayLength());
        Assert.Equal(86400, fetched.GetProperty("limits")[1].GetProperty("windowSeconds").GetInt32());

        using var replaced = await admin.PutAsJsonAsync($"{PolicyClient.PoliciesPath(_project)}/{id}", PolicyClient.Policy("api", "gcra", 10, 1, burst: 20));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var body = await replaced.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("gcra", body.GetProperty("algorithm").GetString());
        Assert.Equal(20, body.GetProperty("limits")[0].GetProperty("burst").GetInt64());
        Assert.Equal("open", body.GetProperty("failureMode").GetString());

        var list = await admin.GetFromJsonAsync<JsonElement>(PolicyClient.PoliciesPath(_project));
        Assert.Equal(1, list.GetArrayLength());

        using var deleted = await admin.DeleteAsync($"{PolicyClient.PoliciesPath(_project)}/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await admin.GetAsync($"{PolicyClient.PoliciesPath(_project)}/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Only_project_admins_change_policies_and_strangers_see_nothing()
    {
        using var anonymous = factory.CreateClient();
        using var unauthenticated = await anonymous.GetAsync(PolicyClient.PoliciesPath(_project));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);

        using var member = factory.ClientFor(OrganizationRole.Member, _project);
        using var memberCreates = await member.PostAsJsonAsync(PolicyClient.PoliciesPath(_project), PolicyClient.Policy("x", "fixedWindow", 10, 60));
        Assert.Equal(HttpStatusCode.Forbidden, memberCreates.StatusCode);
        using var memberReads = await member.GetAsync(PolicyClient.PoliciesPath(_project));
        Assert.Equal(HttpStatusCode.OK, memberReads.StatusCode);

        using var admin = Admin;
        await admin.CreatePolicyAsync(_project, PolicyClient.Policy("mine", "fixedWindow", 10, 60));
        using var stranger = factory.ClientFor(OrganizationRole.Owner, Guid.NewGuid());
        using var strangerReads = await stranger.GetAsync(PolicyClient.PoliciesPath(_project));
        Assert.Equal(HttpStatusCode.Forbidden, strangerReads.StatusCode);
    }

    public static TheoryData<string, string> BadPolicies => new()
    {
        { """{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"limits":[{"name":"m","limit":0,"windowSeconds":60}]}""", "limits[0].limit" },
        { """{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"limits":[{"name":"m","limit":5,"windowSeconds":-1}]}""", "limits[0].windowSeconds" },
        { """{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"limits":[]}""", "limits" },
        { """{"name":"p","algorithm":"leakyFaucet","partitionBy":["keyId"],"limits":[{"name":"m","limit":5,"windowSeconds":1}]}""", "algorithm" },
        { """{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"routes":["/v1/{id"],"limits":[{"name":"m","limit":5,"windowSeconds":1}]}""", "routes[0]" },
        { """{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"routes":["/ok","no-slash"],"limits":[{"name":"m","limit":5,"windowSeconds":1}]}""", "routes[1]" },
        { """{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"routes":["/a/**/b"],"limits":[{"name":"m","limit":5,"windowSeconds":1}]}""", "routes[0]" },
        { """{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"methods":["FETCH"],"limits":[{"name":"m","limit":5,"windowSeconds":1}]}""", "methods[0]" },
        { """{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"limits":[{"name":"m","limit":5,"windowSeconds":1,"burst":9}]}""", "limits[0].burst" },
        { """{"name":"p","algorithm":"fixedWindow","partitionBy":["keyId"],"limits":[{"name":"m","limit":5,"windowSeconds":1},{"name":"m","limit":6,"windowSeconds":2}]}""", "limits[1].name" },
        { """{"name":"bad name","algorithm":"fixedWindow","partitionBy":["keyId"],"limits":[{"name":"m","limit":5,"windowSeconds":1}]}""", "name" },
        { """{"name":"p","algorithm":"fixedWindow","partitionBy":[],"limits":[{"name":"m","limit":5,"windowSeconds":1}]}""", "partitionBy" },
        { """{"name":"p","algorithm":"tokenBucket","partitionBy":["keyId"],"limits":[{"name":"m","limit":5,"windowSeconds":2592000,"burst":1000000}]}""", "limits[0].burst" },
        { """{"name":"p","partitionBy":["keyId"],"limits":[{"name":"m","limit":5,"windowSeconds":1}]}""", "algorithm" },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public async Task Bad_policies_get_400_naming_the_field(string json, string field)
    {
        using var admin = Admin;
        using var response = await admin.PostAsync(PolicyClient.PoliciesPath(_project), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await PolicyClient.AssertValidationProblemAsync(response, field);
    }

    [Fact]
    public async Task A_second_policy_with_the_same_name_is_refused()
    {
        using var admin = Admin;
        await admin.CreatePolicyAsync(_project, PolicyClient.Policy("twice", "fixedWindow", 10, 60));
        using var response = await admin.PostAsJsonAsync(PolicyClient.PoliciesPath(_project), PolicyClient.Policy("twice", "tokenBucket", 10, 60));
        await PolicyClient.AssertValidationProblemAsync(response, "name");
    }

    [Fact]
    public async Task Overrides_are_validated_against_the_policy()
    {
        using var admin = Admin;
        var policy = await admin.CreatePolicyAsync(_project, PolicyClient.Policy("ov", "fixedWindow", 10, 60));
        var path = $"{PolicyClient.PoliciesPath(_project)}/{policy.GetProperty("id").GetGuid()}/overrides";

        using var unknownLimit = await admin.PostAsJsonAsync(path, new { target = "owner", pattern = "*@acme.com", limits = new[] { new { name = "nope", limit = 5 } } });
        await PolicyClient.AssertValidationProblemAsync(unknownLimit, "limits[0].name");
        using var zero = await admin.PostAsJsonAsync(path, new { target = "owner", pattern = "*@acme.com", limits = new[] { new { name = "main", limit = 0 } } });
        await PolicyClient.AssertValidationProblemAsync(zero, "limits[0].limit");
        using var onlyStars = await admin.PostAsJsonAsync(path, new { target = "owner", pattern = "**", limits = new[] { new { name = "main", limit = 5 } } });
        await PolicyClient.AssertValidationProblemAsync(onlyStars, "pattern");
        using var badTarget = await admin.PostAsJsonAsync(path, new { target = "planet", pattern = "x", limits = new[] { new { name = "main", limit = 5 } } });
        await PolicyClient.AssertValidationProblemAsync(badTarget, "target");

        using var created = await admin.PostAsJsonAsync(path, new { target = "owner", pattern = "*@acme.com", limits = new[] { new { name = "main", limit = 50 } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var duplicate = await admin.PostAsJsonAsync(path, new { target = "owner", pattern = "*@acme.com", limits = new[] { new { name = "main", limit = 60 } } });
        await PolicyClient.AssertValidationProblemAsync(duplicate, "pattern");
    }
}
