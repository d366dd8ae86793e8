using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Validation.AspNetCore;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Identity.Accounts;
using SentryFlow.Identity.Apis;
using SentryFlow.Identity.Audit;
using SentryFlow.Identity.Bootstrap;
using SentryFlow.Identity.Tenancy;
using SentryFlow.Identity.Tokens;
using SentryFlow.ServiceDefaults.Authentication;
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
                server.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .DisableTransportSecurityRequirement(); // TLS ends at the proxy in front; the services speak HTTP on 127.0.0.1
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
            });
        builder.Services.ConfigureOptions<TokenKeysConfigurator>();

        builder.Services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        builder.Services.AddAuthorizationBuilder().AddSentryFlowPolicies();

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(TokenApi.SignInThrottle, http => PerAddress(http, configuration.GetValue("Identity:Throttle:SignInPerAddressPerMinute", 30)));
            limiter.AddPolicy(AccountApi.RegisterThrottle, http => PerAddress(http, configuration.GetValue("Identity:Throttle:RegisterPerAddressPerMinute", 10)));
        });

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<OrganizationAccess>();
        builder.Services.AddScoped<TokenPrincipalFactory>();
        builder.Services.AddScoped<MachineClients>();
        builder.Services.AddSingleton<AccountThrottle>();
        builder.Services.AddHostedService<FirstAdministrator>();
        builder.Services.AddHostedService<ServiceClients>();
        return builder;
    }

    private static RateLimitPartition<string> PerAddress(HttpContext http, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
        });
}
