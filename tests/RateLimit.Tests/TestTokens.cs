using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SentryFlow.Contracts.Authorization;

namespace SentryFlow.RateLimit.Tests;

/// <summary>
/// Access tokens like identity's (RS256, audience <c>sentryflow-api</c>, <c>project_role</c> claims), signed by a
/// key only the tests know; <see cref="RateLimitFactory"/> makes the service trust it instead of identity's JWKS.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "https://identity.test/";

    public static readonly RsaSecurityKey SigningKey = new(RSA.Create(2048)) { KeyId = "test-key" };

    private static readonly JsonWebTokenHandler Handler = new();

    public static string For(Guid projectId, OrganizationRole role, string subject = "user-1") =>
        Create(subject, (SentryFlowClaims.ProjectRole, SentryFlowClaims.Format(projectId, role)));

    public static string Create(string subject, params (string Type, string Value)[] claims) =>
        Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = SentryFlowClaims.ApiAudience,
            Expires = DateTime.UtcNow.AddMinutes(15),
            Subject = new ClaimsIdentity([new Claim("sub", subject), .. claims.Select(c => new Claim(c.Type, c.Value))]),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
        });
}
