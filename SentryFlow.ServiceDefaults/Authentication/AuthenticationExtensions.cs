using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Contracts;
using SentryFlow.Contracts.Authorization;
using SentryFlow.ServiceDefaults.Authentication;

namespace Microsoft.Extensions.Hosting;

/// <summary>How every service but identity checks the identity service's access tokens: locally, without calling it.</summary>
public static class AuthenticationExtensions
{
    /// <summary>The configuration key that overrides the authority (default: the identity service, by service discovery).</summary>
    public const string AuthorityKey = "Identity:Authority";

    /// <summary>
    /// JwtBearer against the identity service's discovery document and JWKS (fetched once, cached and refreshed
    /// by the handler), found at <c>http://identity</c> through service discovery; and the SentryFlow policies
    /// (<see cref="SentryFlowPolicies"/>). A token must be signed by identity's current keys, unexpired (30 s of
    /// clock skew), issued by it and meant for <see cref="SentryFlowClaims.ApiAudience"/>.
    /// </summary>
    public static IHostApplicationBuilder AddSentryFlowAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IHttpClientFactory, IConfiguration>((options, httpClients, configuration) =>
            {
                options.Authority = configuration[AuthorityKey] ?? $"http://{SentryFlowResources.Identity}";
                options.RequireHttpsMetadata = options.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
                options.Backchannel = httpClients.CreateClient(SentryFlowResources.Identity);
                options.MapInboundClaims = false; // keep "sub", "role", "org_role" as they are in the token
                options.TokenValidationParameters.ValidAudience = SentryFlowClaims.ApiAudience;
                options.TokenValidationParameters.NameClaimType = "name";
                options.TokenValidationParameters.RoleClaimType = "role";
                options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
            });

        builder.Services.AddSingleton<IAuthorizationHandler, ScopedRoleHandler>();
        builder.Services.AddAuthorizationBuilder().AddSentryFlowPolicies();
        return builder;
    }
}
