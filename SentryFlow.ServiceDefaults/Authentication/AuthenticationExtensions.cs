using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.JsonWebTokens;
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
    /// clock skew), issued by it and meant for <see cref="SentryFlowClaims.ApiAudience"/>; and identity must still
    /// honour it (<see cref="TokenAccessCache"/>), whose answer replaces the role claims it was issued with.
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

        // What a token may do is identity's current answer, not only what it was issued with.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ITokenAccessSource, IdentityTokenAccessSource>();
        builder.Services.AddSingleton<TokenAccessCache>();
        builder.Services.AddHostedService<TokenAccessRefresher>();
        // The cache is taken from the request's services, not injected here: it asks identity through these very options.
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure(options =>
            {
                options.Events.OnTokenValidated = async context =>
                {
                    if (context.Principal is { } principal && !TokenAccessCache.IsExempt(principal) && context.SecurityToken is JsonWebToken token)
                    {
                        var access = context.HttpContext.RequestServices.GetRequiredService<TokenAccessCache>();
                        TokenAccessCache.Complete(context, await access.ApplyAsync(token.EncodedToken, principal));
                    }
                };
                options.Events.OnChallenge = AnswerUnavailableAsync;
            });

        builder.Services.AddSingleton<IAuthorizationHandler, ScopedRoleHandler>();
        builder.Services.AddAuthorizationBuilder().AddSentryFlowPolicies();
        return builder;
    }

    // Identity could not confirm the token: a 503 to retry, not a 401 that would send the caller to sign in again.
    private static async Task AnswerUnavailableAsync(JwtBearerChallengeContext context)
    {
        if (context.AuthenticateFailure is not TokenAccessUnavailableException)
        {
            return;
        }

        context.HandleResponse();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "5";
        await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Detail = "Identity could not be reached to confirm the access token; retry shortly." },
        });
    }
}
