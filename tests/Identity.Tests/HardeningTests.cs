using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Testing;

namespace SentryFlow.Identity.Tests;

/// <summary>Bad input is a 400 naming the field, never a 500; error answers carry identity's codes; the documents are complete.</summary>
public sealed class HardeningTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private readonly IdentityClient _identity = new(factory);

    [Theory]
    [InlineData("username")]
    [InlineData("password")]
    [InlineData("client_id")]
    [InlineData("scope")]
    public async Task A_NUL_in_a_token_request_parameter_is_an_oauth_invalid_request_naming_it(string parameter)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = IdentityClient.NewEmail(), ["password"] = IdentityClient.Password };
        form[parameter] = "a\0b";

        using var response = await _identity.RequestTokenAsync([.. form.Select(f => (f.Key, f.Value))]);

        await AssertInvalidRequestAsync(response, parameter);
    }

    [Fact]
    public async Task A_username_longer_than_an_email_can_be_is_an_invalid_request()
    {
        using var response = await _identity.RequestTokenAsync(("grant_type", "password"), ("username", new string('a', 300) + "@example.test"), ("password", "x"));

        await AssertInvalidRequestAsync(response, "username");
    }

    [Fact]
    public async Task A_NUL_in_a_token_to_revoke_is_an_invalid_request()
    {
        using var response = await _identity.Anonymous.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "x\0y" }));

        await AssertInvalidRequestAsync(response, "token");
    }

    [Fact]
    public async Task NUL_characters_in_names_are_400s_naming_the_field()
    {
        var (_, _, user) = await _identity.NewUserAsync();
        using var organization = await user.PostAsJsonAsync("/api/organizations", new { name = "Org" });
        var organizationId = (await organization.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var profile = await user.PutAsJsonAsync("/api/account/me", new { displayName = "a\0b" });
        using var badOrganization = await user.PostAsJsonAsync("/api/organizations", new { name = "a\0b" });
        using var badProject = await user.PostAsJsonAsync($"/api/organizations/{organizationId}/projects", new { name = "a\0b" });
        using var badRegistration = await _identity.Anonymous.PostAsJsonAsync("/api/account/register",
            new { email = IdentityClient.NewEmail(), password = IdentityClient.Password, displayName = "a\0b" });

        await ProblemAssert.ValidationAsync(profile, "displayName");
        await ProblemAssert.ValidationAsync(badOrganization, "name");
        await ProblemAssert.ValidationAsync(badProject, "name");
        await ProblemAssert.ValidationAsync(badRegistration, "displayName");
    }

    [Fact]
    public async Task Error_answers_carry_identity_codes_listed_at_problems()
    {
        var (_, _, user) = await _identity.NewUserAsync();
        using var missing = await user.GetAsync($"/api/organizations/{Guid.NewGuid()}");
        using var catalogue = await _identity.Anonymous.GetAsync("/problems");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var problem = await missing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("identity.organization_not_found", problem.GetProperty("code").GetString());
        Assert.Equal("urn:sentryflow:problem:identity.organization_not_found", problem.GetProperty("type").GetString());
        var codes = (await catalogue.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(p => p.GetProperty("code").GetString()).ToList();
        Assert.Contains("identity.organization_not_found", codes);
        Assert.Contains("identity.sign_in_throttled", codes);
        Assert.Contains("identity.last_owner", codes);
    }

    [Fact]
    public async Task The_discovery_document_has_every_required_field()
    {
        var discovery = await _identity.Anonymous.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");

        // OpenID Connect Discovery 1.0 §3 (and RFC 8414 §2): REQUIRED members.
        Assert.False(string.IsNullOrEmpty(discovery.GetProperty("issuer").GetString()));
        Assert.EndsWith("/connect/token", discovery.GetProperty("token_endpoint").GetString());
        Assert.EndsWith("/connect/revoke", discovery.GetProperty("revocation_endpoint").GetString());
        Assert.False(string.IsNullOrEmpty(discovery.GetProperty("jwks_uri").GetString()));
        Assert.NotEmpty(discovery.GetProperty("response_types_supported").EnumerateArray());
        Assert.Contains("public", discovery.GetProperty("subject_types_supported").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains("RS256", discovery.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains("password", discovery.GetProperty("grant_types_supported").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_token_and_revocation_endpoints_with_their_forms()
    {
        var document = await _identity.Anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        var token = paths.GetProperty("/connect/token").GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/x-www-form-urlencoded").GetProperty("schema");
        var revoke = paths.GetProperty("/connect/revoke").GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/x-www-form-urlencoded").GetProperty("schema");
        foreach (var field in new[] { "grant_type", "username", "password", "refresh_token", "client_id", "client_secret", "scope" })
        {
            Assert.True(token.GetProperty("properties").TryGetProperty(field, out _), field);
        }

        Assert.True(revoke.GetProperty("properties").TryGetProperty("token", out _));
        Assert.Contains("token", revoke.GetProperty("required").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Token_access_answers_each_token_and_refuses_too_many()
    {
        var (_, email, _) = await _identity.NewUserAsync();
        var token = (await _identity.SignInAsync(email)).AccessToken;

        using var answered = await _identity.Anonymous.PostAsJsonAsync("/" + TokenAccessRequest.Path, new TokenAccessRequest([token, "not a token", token[..^4] + "AAAA"]));
        using var tooMany = await _identity.Anonymous.PostAsJsonAsync("/" + TokenAccessRequest.Path,
            new TokenAccessRequest([.. Enumerable.Repeat("x", TokenAccessRequest.MaxTokens + 1)]));

        var results = (await answered.Content.ReadFromJsonAsync<TokenAccessResponse>())!.Results;
        Assert.Equal([true, false, false], results.Select(r => r.Active));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal("identity.token_access_invalid", (await tooMany.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private static async Task AssertInvalidRequestAsync(HttpResponseMessage response, string parameter)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        var error = JsonDocument.Parse(body).RootElement;
        Assert.Equal("invalid_request", error.GetProperty("error").GetString());
        Assert.Contains($"'{parameter}'", error.GetProperty("error_description").GetString());
    }
}
