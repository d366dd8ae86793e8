using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using SentryFlow.Testing;
using static SentryFlow.Testing.ApiServiceHost;

namespace SentryFlow.Identity.Tests;

public sealed class TokenValidationTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private readonly IdentityClient _identity = new(factory);

    [Fact]
    public async Task An_independent_jwt_library_validates_the_token_from_the_discovery_document_alone()
    {
        var token = (await _identity.SignInAsync((await NewSignedInEmailAsync()).Email)).AccessToken;

        // Microsoft.IdentityModel only: discovery document -> JWKS -> signature, issuer, lifetime, audience.
        var discovery = new Uri(factory.Server.BaseAddress, "/.well-known/openid-configuration").ToString();
        var retriever = new HttpDocumentRetriever(new HttpClient(factory.Server.CreateHandler())) { RequireHttps = false };
        var configuration = await new ConfigurationManager<OpenIdConnectConfiguration>(discovery, new OpenIdConnectConfigurationRetriever(), retriever)
            .GetConfigurationAsync(CancellationToken.None);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAudience = "sentryflow-api",
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("RS256", ((JsonWebToken)result.SecurityToken).Alg);
    }

    [Fact]
    public async Task Another_service_accepts_a_good_token_and_refuses_expired_tampered_and_foreign_ones()
    {
        await using var api = await ApiServiceHost.StartAsync(factory);
        var (userId, email) = await NewSignedInEmailAsync();
        var token = (await _identity.SignInAsync(email)).AccessToken;

        using var good = await CallAsync(api, "/whoami", token);
        Assert.True(good.StatusCode == HttpStatusCode.OK, $"{good.StatusCode}: {good.Headers.WwwAuthenticate}");
        Assert.Equal(userId.ToString(), await good.Content.ReadAsStringAsync());

        var signingKey = await ServiceSigningKeyAsync();
        var expired = Mint(signingKey, token, expires: DateTime.UtcNow.AddMinutes(-5));
        var foreign = Mint(new RsaSecurityKey(RSA.Create(2048)) { KeyId = signingKey.KeyId }, token, expires: DateTime.UtcNow.AddMinutes(5));
        var parts = token.Split('.');
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(Base64UrlEncoder.Decode(parts[1]).Replace(userId.ToString(), Guid.NewGuid().ToString()))}.{parts[2]}";

        // The control: the same key and claims with a valid lifetime pass, so the refusals are about what changed.
        using var control = await CallAsync(api, "/whoami", Mint(signingKey, token, expires: DateTime.UtcNow.AddMinutes(5)));
        Assert.Equal(HttpStatusCode.OK, control.StatusCode);
        foreach (var bad in new[] { expired, foreign, tampered })
        {
            using var refused = await CallAsync(api, "/whoami", bad);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
    }

    [Fact]
    public async Task Project_policies_follow_the_role_in_the_token()
    {
        await using var api = await ApiServiceHost.StartAsync(factory);
        var (_, _, owner) = await _identity.NewUserAsync("owner");
        using var organization = await owner.PostAsJsonAsync("/api/organizations", new { name = "Policy Org" });
        var organizationId = (await organization.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var project = await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/projects", new { name = "P" });
        var projectId = (await project.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var (_, viewerEmail) = await NewSignedInEmailAsync();
        using (await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email = viewerEmail, role = "viewer" }))
        {
        }

        var viewerToken = (await _identity.SignInAsync(viewerEmail)).AccessToken;
        var (_, strangerEmail) = await NewSignedInEmailAsync();
        var strangerToken = (await _identity.SignInAsync(strangerEmail)).AccessToken;

        using var viewerReads = await CallAsync(api, $"/projects/{projectId}/data", viewerToken);
        using var viewerWrites = await CallAsync(api, $"/projects/{projectId}/data", viewerToken, HttpMethod.Post);
        using var strangerReads = await CallAsync(api, $"/projects/{projectId}/data", strangerToken);
        Assert.Equal(HttpStatusCode.OK, viewerReads.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerWrites.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, strangerReads.StatusCode);
    }

    [Fact]
    public async Task A_machine_client_gets_a_token_for_its_organization()
    {
        var (_, _, owner) = await _identity.NewUserAsync("owner");
        using var organization = await owner.PostAsJsonAsync("/api/organizations", new { name = "Machines" });
        var organizationId = (await organization.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var created = await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/clients", new { name = "ci", role = "member" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var client = await created.Content.ReadFromJsonAsync<JsonElement>();

        var tokens = await IdentityClient.Tokens.ReadAsync(await _identity.RequestTokenAsync(
            ("grant_type", "client_credentials"), ("client_id", client.GetProperty("clientId").GetString()!),
            ("client_secret", client.GetProperty("clientSecret").GetString()!), ("scope", "api")));
        using var wrongSecret = await _identity.RequestTokenAsync(
            ("grant_type", "client_credentials"), ("client_id", client.GetProperty("clientId").GetString()!), ("client_secret", "guess"));

        var claims = new JsonWebToken(tokens.AccessToken).Claims.ToList();
        Assert.Contains(claims, c => c.Type == "org_role" && c.Value == $"{organizationId}:member");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode); // invalid_client
    }

    [Fact]
    public async Task Signing_keys_are_kept_in_the_database_so_a_restart_signs_no_one_out()
    {
        var token = (await _identity.SignInAsync((await NewSignedInEmailAsync()).Email)).AccessToken;
        var stored = await ServiceSigningKeyAsync();

        Assert.Equal(stored.KeyId, new JsonWebToken(token).Kid);
    }

    private async Task<(Guid UserId, string Email)> NewSignedInEmailAsync()
    {
        var email = IdentityClient.NewEmail();
        return (await _identity.RegisterAsync(email), email);
    }


    /// <summary>The service's signing key, read straight from its database (where a restart finds it again).</summary>
    private async Task<RsaSecurityKey> ServiceSigningKeyAsync()
    {
        await using var connection = new NpgsqlConnection(factory.Servers.PostgresDatabase(factory.DatabaseName));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "PrivateKeyPem" FROM identity."SigningKeys" WHERE "Use" = 'sig'""", connection);
        var rsa = RSA.Create();
        rsa.ImportFromPem((string)(await command.ExecuteScalarAsync())!);
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }

    /// <summary>A token with <paramref name="template"/>'s claims, signed by <paramref name="key"/>, expiring at <paramref name="expires"/>.</summary>
    private static string Mint(SecurityKey key, string template, DateTime expires)
    {
        var source = new JsonWebToken(template);
        var claims = source.Claims.Where(c => c.Type is not ("exp" or "nbf" or "iat" or "aud" or "iss")).ToList();
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = source.Issuer,
            Audience = "sentryflow-api",
            IssuedAt = expires.AddMinutes(-20),
            NotBefore = expires.AddMinutes(-20),
            Expires = expires,
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}
