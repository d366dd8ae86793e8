using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Testing;

namespace SentryFlow.RateLimit.Tests;

/// <summary>The rate-limit service against the real servers, trusting <see cref="TestTokens"/> instead of identity.</summary>
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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                options.Authority = null;
                options.Configuration = new OpenIdConnectConfiguration { Issuer = TestTokens.Issuer, SigningKeys = { TestTokens.SigningKey } };
                options.TokenValidationParameters.ValidIssuer = TestTokens.Issuer;
                options.TokenValidationParameters.IssuerSigningKey = TestTokens.SigningKey;
            }));
    }

    /// <summary>A client with a token holding <paramref name="role"/> in <paramref name="projectId"/> (default: this factory's project).</summary>
    public HttpClient ClientFor(OrganizationRole role, Guid? projectId = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(projectId ?? ProjectId, role));
        return client;
    }
}
