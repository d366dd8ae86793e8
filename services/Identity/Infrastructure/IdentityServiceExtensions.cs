using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Server;
using OpenIddict.Validation.AspNetCore;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Identity.Accounts;
using SentryFlow.Identity.Apis;
using SentryFlow.Identity.Audit;
using SentryFlow.Identity.Bootstrap;
using SentryFlow.Identity.Tenancy;
using SentryFlow.Identity.Tokens;
using SentryFlow.ServiceDefaults.Authentication;
using SentryFlow.ServiceDefaults.Problems;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace SentryFlow.Identity.Infrastructure;

/// <summary>The identity service's own registrations: accounts, the token server, throttling and its helpers.</summary>
public static class IdentityServiceExtensions
{
    public static IHostApplicationBuilder AddIdentityServices(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;

        builder.Services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Password.RequireDigit = true;
                options.Password.RequireLowercase = true;
                options.Password.RequireUppercase = true;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = configuration.GetValue("Identity:Lockout:MaxFailedAttempts", 5);
                options.Lockout.DefaultLockoutTimeSpan = configuration.GetValue("Identity:Lockout:Duration", TimeSpan.FromMinutes(5));
                options.ClaimsIdentity.UserIdClaimType = Claims.Subject;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<IdentityDbContext>();

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>().ReplaceDefaultEntities<Guid>())
            .AddServer(server =>
            {
                server.SetTokenEndpointUris("connect/token").SetRevocationEndpointUris("connect/revoke");
                server.AllowPasswordFlow().AllowRefreshTokenFlow().AllowClientCredentialsFlow();
                server.AcceptAnonymousClients(); // the dashboard and CLI use the password flow without a client secret
                server.RegisterScopes(Scopes.OfflineAccess, SentryFlowClaims.ApiScope);
                server.DisableAccessTokenEncryption(); // JWTs every service (and any JWT library) can check by the JWKS
                server.SetAccessTokenLifetime(configuration.GetValue("Identity:AccessTokenLifetime", TimeSpan.FromMinutes(15)));
                server.SetRefreshTokenLifetime(configuration.GetValue("Identity:RefreshTokenLifetime", TimeSpan.FromDays(14)));
                server.SetRefreshTokenReuseLeeway(TimeSpan.Zero); // a refresh token works once; a replay is refused
                if (configuration["Identity:Issuer"] is { Length: > 0 } issuer)
                {
                    server.SetIssuer(new Uri(issuer));
                }

                server.AddEventHandler<HandleRevocationRequestContext>(handler => handler.UseScopedHandler<RevocationAudit>());
                server.AddEventHandler<HandleConfigurationRequestContext>(handler => handler.UseSingletonHandler<DiscoveryCompletion>()
                    .SetOrder(OpenIddictServerHandlers.Discovery.AttachResponseModes.Descriptor.Order + 500));
                // First of all, before OpenIddict looks up a client or a token by an overlong value.
                server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseSingletonHandler<ParameterLengths>().SetOrder(int.MinValue));
                server.AddEventHandler<ValidateRevocationRequestContext>(handler => handler.UseSingletonHandler<ParameterLengths>().SetOrder(int.MinValue));
                server.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .DisableTransportSecurityRequirement(); // TLS ends at the proxy in front; the services speak HTTP on 127.0.0.1
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
                // A revoked access token (sign-out, a disabled user, a deleted machine client) is refused at once: its
                // token entry is read on each request. Other services learn it from the token access endpoint.
                validation.EnableTokenEntryValidation();
            });
        builder.Services.ConfigureOptions<TokenKeysConfigurator>();

        builder.Services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        builder.Services.AddAuthorizationBuilder().AddSentryFlowPolicies();
        builder.AddProblemCatalogue(typeof(IdentityProblems));

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                var problem = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ThrottleProblem>()?.Problem ?? IdentityProblems.SignInThrottled;
                return new ValueTask(Throttled(context.HttpContext, problem, retryAfter, "Too many requests from this address."));
            };
            limiter.AddPolicy(TokenApi.SignInThrottle, http => PerAddress(http, configuration.GetValue("Identity:Throttle:SignInPerAddressPerMinute", 30)));
            limiter.AddPolicy(AccountApi.RegisterThrottle, http => PerAddress(http, configuration.GetValue("Identity:Throttle:RegisterPerAddressPerMinute", 10)));
        });

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<OrganizationAccess>();
        builder.Services.AddScoped<TokenPrincipalFactory>();
        builder.Services.AddScoped<CurrentAccess>();
        builder.Services.AddScoped<TokenAccessQuery>();
        builder.Services.AddScoped<MachineClients>();
        builder.Services.AddSingleton<AccountThrottle>();
        builder.Services.AddHostedService<FirstAdministrator>();
        builder.Services.AddHostedService<ServiceClients>();
        return builder;
    }

    /// <summary>
    /// Answers a throttled request: 429 with <c>Retry-After</c> (whole seconds, at least 1) and the throttle's problem code.
    /// </summary>
    public static Task Throttled(HttpContext http, ProblemType problem, TimeSpan retryAfter, string detail)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return problem.Result(detail).ExecuteAsync(http);
    }

    private static RateLimitPartition<string> PerAddress(HttpContext http, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
        });
}
