using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using SentryFlow.Contracts.Authorization;
using SentryFlow.ServiceDefaults.Authentication;

namespace SentryFlow.Testing;

/// <summary>
/// Access tokens for testing a service without running identity: shaped like identity's (RS256, the same claims
/// and audience), signed by a key only the tests hold, which <see cref="Trust"/> makes the service accept.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "https://identity.sentryflow.test/";

    private static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "sentryflow-test" };

    /// <summary>A user's token with <paramref name="role"/> in each of <paramref name="projects"/>.</summary>
    public static string ForProjects(OrganizationRole role, params Guid[] projects) =>
        Mint($"user-{Guid.NewGuid():n}", [.. projects.Select(p => new Claim(SentryFlowClaims.ProjectRole, SentryFlowClaims.Format(p, role)))]);

    /// <summary>The token of SentryFlow's own service <paramref name="name"/> (role <c>service</c>), as identity issues to service clients.</summary>
    public static string ForService(string name) => Mint($"service:{name}", new Claim("role", SentryFlowClaims.Service));

    public static string Mint(string subject, params Claim[] claims) => Mint(subject, DateTime.UtcNow.AddMinutes(15), claims);

    /// <summary>A token that expires at <paramref name="expires"/> (UTC).</summary>
    public static string Mint(string subject, DateTime expires, params Claim[] claims) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Subject = new ClaimsIdentity([new Claim("sub", subject), .. claims]),
        Issuer = Issuer,
        Audience = SentryFlowClaims.ApiAudience,
        Expires = expires,
        NotBefore = expires.AddMinutes(-15),
        TokenType = "at+jwt",
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
    });

    /// <summary>
    /// Makes the service's calls to other services (<c>AddServiceToken</c>) carry a test-signed service token, so a
    /// service under test calls its neighbours without identity running.
    /// </summary>
    public static void SignServiceCalls(IServiceCollection services) =>
        services.AddSingleton<IServiceTokenSource>(new TestServiceTokenSource());

    /// <summary>
    /// Makes the service's JwtBearer trust the test key instead of fetching identity's discovery document, and take a
    /// token's role claims as current (there is no identity to ask: see <see cref="TokenClaimsAccessSource"/>).
    /// </summary>
    public static void Trust(IServiceCollection services)
    {
        services.AddSingleton<ITokenAccessSource, TokenClaimsAccessSource>();
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            configuration.SigningKeys.Add(Key);
            options.Configuration = configuration;
            options.ConfigurationManager = null;
            options.TokenValidationParameters.ValidIssuer = Issuer;
            options.TokenValidationParameters.IssuerSigningKey = Key;
        });
    }

    /// <summary>Answers for test tokens as identity would if nothing had changed since they were minted: their own claims.</summary>
    private sealed class TokenClaimsAccessSource : ITokenAccessSource
    {
        public Task<IReadOnlyList<TokenAccess>> FetchAsync(IReadOnlyList<string> tokens, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<TokenAccess>>([.. tokens.Select(token =>
            {
                var claims = new JsonWebToken(token).Claims.ToList();
                string[] Values(string type) => [.. claims.Where(c => c.Type == type).Select(c => c.Value)];
                return new TokenAccess(true, Values("role"), Values(SentryFlowClaims.OrganizationRole), Values(SentryFlowClaims.ProjectRole));
            })]);
    }

    private sealed class TestServiceTokenSource : IServiceTokenSource
    {
        private readonly string _token = ForService("test");

        public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_token);
    }
}
