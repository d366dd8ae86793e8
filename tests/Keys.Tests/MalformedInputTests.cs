using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using SentryFlow.Testing;

namespace SentryFlow.Keys.Tests;

/// <summary>Bad input to the management API is a 400 naming the field, with a code; never a 500, never stored.</summary>
public sealed class MalformedInputTests(KeysFactory factory) : IClassFixture<KeysFactory>
{
    [Theory]
    [InlineData("""{"name":"x","expiresAt":"2020-01-01T00:00:00Z"}""", "expiresAt", "keys.expiry_in_past")]
    [InlineData("""{"name":"x","expiresAt":"0001-01-01T00:00:00Z"}""", "expiresAt", "keys.expiry_in_past")]
    [InlineData("""{"name":"x","rateLimits":[null]}""", "rateLimits[0]", "keys.rate_limit_invalid")]
    [InlineData("""{"name":"x","permissions":[null]}""", "permissions[0]", "keys.permission_invalid")]
    [InlineData("""{"name":"x","permissions":["ok","not ok"]}""", "permissions[1]", "keys.permission_invalid")]
    [InlineData("""{"name":"x","meta":{"note":"a\u0000b"}}""", "meta", "keys.meta_invalid")]
    [InlineData("""{"name":"x","meta":{"a\u0000":1}}""", "meta", "keys.meta_invalid")]
    [InlineData("""{"name":"x","meta":{"deep":[{"note":"\u0000"}]}}""", "meta", "keys.meta_invalid")]
    [InlineData("""{"name":"x","meta":{"n":1e1000000}}""", "meta", "keys.meta_invalid")]
    [InlineData("""{"name":"x","meta":{"s":"\ud800"}}""", "meta", "keys.meta_invalid")]
    [InlineData("""{"name":"x","meta":[1]}""", "meta", "keys.meta_invalid")]
    [InlineData("""{"name":"x","rateLimits":[{"name":"a","limit":1,"durationMs":1000},{"name":"a","limit":2,"durationMs":1000}]}""", "rateLimits", "keys.rate_limit_invalid")]
    [InlineData("""{"name":"x","refill":null,"remaining":1,"cost":-1}""", "cost", "request.invalid")]
    public async Task Creating_with_bad_input_is_a_400_naming_the_field(string body, string field, string code)
    {
        var client = new KeysClient(factory);

        using var response = await client.Http.PostAsync(client.KeysUrl, Json(body));

        await ProblemAssert.ValidationAsync(response, field, code);
        using var list = await client.Http.GetAsync(client.KeysUrl);
        Assert.Equal(0, (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("keys").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"expiresAt":"2020-01-01T00:00:00Z"}""", "expiresAt", "keys.expiry_in_past")]
    [InlineData("""{"rateLimits":[null]}""", "rateLimits[0]", "keys.rate_limit_invalid")]
    [InlineData("""{"permissions":[null]}""", "permissions[0]", "keys.permission_invalid")]
    [InlineData("""{"meta":{"note":"\u0000"}}""", "meta", "keys.meta_invalid")]
    [InlineData("""{"name":"\udc00"}""", "name", "request.invalid")]
    public async Task Changing_with_bad_input_is_a_400_naming_the_field(string body, string field, string code)
    {
        var client = new KeysClient(factory);
        var keyId = (await client.CreateAsync(new { name = "kept" })).GetProperty("id").GetGuid();

        using var response = await client.Http.PatchAsync($"{client.KeysUrl}/{keyId}", Json(body));

        await ProblemAssert.ValidationAsync(response, field, code);
        var key = await client.Http.GetFromJsonAsync<JsonElement>($"{client.KeysUrl}/{keyId}");
        Assert.Equal("kept", key.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, key.GetProperty("expiresAt").ValueKind);
    }

    [Theory]
    [InlineData("""{"name":"\ud800x"}""", "name")]
    [InlineData("""{"name":"x","ownerId":"\udfff"}""", "ownerId")]
    public async Task Text_that_is_not_valid_unicode_is_a_400_naming_the_field(string body, string field)
    {
        var client = new KeysClient(factory);

        using var response = await client.Http.PostAsync(client.KeysUrl, Json(body));

        await ProblemAssert.ValidationAsync(response, field, "request.invalid");
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=-5", "limit")]
    [InlineData("?limit=201", "limit")]
    [InlineData("?limit=99999999999999999999", "limit")]
    [InlineData("?after=not-a-guid", "after")]
    [InlineData("?enabled=perhaps", "enabled")]
    public async Task Listing_with_bad_parameters_is_a_400_naming_the_parameter(string query, string field)
    {
        var client = new KeysClient(factory);

        using var response = await client.Http.GetAsync(client.KeysUrl + query);

        await ProblemAssert.ValidationAsync(response, field, code: null);
    }

    [Fact]
    public async Task An_owner_filter_longer_than_an_owner_id_is_a_400()
    {
        var client = new KeysClient(factory);

        using var response = await client.Http.GetAsync($"{client.KeysUrl}?ownerId={new string('o', 257)}");

        await ProblemAssert.ValidationAsync(response, "ownerId", "request.invalid");
    }

    [Theory]
    [InlineData("POST", "")]
    [InlineData("PATCH", "/{key}")]
    [InlineData("POST", "/{key}/rotate")]
    public async Task An_empty_or_non_json_body_is_a_4xx_not_a_500(string method, string path)
    {
        var client = new KeysClient(factory);
        var keyId = (await client.CreateAsync(new { name = "target" })).GetProperty("id").GetGuid();
        var url = client.KeysUrl + path.Replace("{key}", keyId.ToString(), StringComparison.Ordinal);

        using var empty = await client.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = Json("") });
        using var text = await client.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent("name=x", Encoding.UTF8, "text/plain") });
        using var wrongType = await client.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = Json("""{"name":42,"gracePeriodSeconds":"soon"}""") });
        using var huge = await client.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = Json("""{"name":"x","cost":1e40,"gracePeriodSeconds":1e40}""") });

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
    }

    [Fact]
    public async Task A_key_that_is_not_there_is_keys_not_found_and_a_bad_id_in_the_route_is_no_500()
    {
        var client = new KeysClient(factory);

        using var missing = await client.Http.GetAsync($"{client.KeysUrl}/{Guid.NewGuid()}");
        using var missingAudit = await client.Http.GetAsync($"{client.KeysUrl}/{Guid.NewGuid()}/audit");
        using var rotateMissing = await client.Http.PostAsJsonAsync($"{client.KeysUrl}/{Guid.NewGuid()}/rotate", new { });
        using var badId = await client.Http.GetAsync($"{client.KeysUrl}/not-a-guid");
        using var badProject = await client.Http.GetAsync("/api/projects/12345678-not-a-guid/keys");

        foreach (var response in new[] { missing, missingAudit, rotateMissing })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("keys.not_found", await CodeAsync(response));
        }

        Assert.Equal(HttpStatusCode.NotFound, badId.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, badProject.StatusCode);
    }

    [Fact]
    public async Task The_problem_catalogue_lists_the_keys_codes()
    {
        var problems = await factory.CreateClient().GetFromJsonAsync<JsonElement[]>("/problems");

        var codes = problems!.Select(p => p.GetProperty("code").GetString()).ToHashSet();
        Assert.Subset(codes, new HashSet<string?> { "keys.not_found", "keys.expiry_in_past", "keys.meta_invalid", "keys.permission_invalid", "keys.rate_limit_invalid" });
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
}
