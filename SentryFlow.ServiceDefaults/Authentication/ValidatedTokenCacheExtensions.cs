using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.JsonWebTokens;
using SentryFlow.ServiceDefaults.Authentication;

namespace Microsoft.Extensions.Hosting;

/// <summary>Opt-in for hot-path services: JwtBearer answers a token it validated before from <see cref="ValidatedTokenCache"/>.</summary>
public static class ValidatedTokenCacheExtensions
{
    /// <summary>
    /// After <see cref="AuthenticationExtensions.AddSentryFlowAuthentication"/>: a bearer token seen before (the exact
    /// string, unexpired) authenticates from the cache; any other goes through the full validation, and is cached
    /// once it passes.
    /// </summary>
    public static IHostApplicationBuilder AddValidatedTokenCache(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ValidatedTokenCache>();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<ValidatedTokenCache>((options, cache) =>
            {
                var messageReceived = options.Events.OnMessageReceived;
                var tokenValidated = options.Events.OnTokenValidated;
                options.Events.OnMessageReceived = async context =>
                {
                    await messageReceived(context);
                    if (context.Result is not null || context.Token is not null
                        || !TryGetCached(cache, context.Request.Headers.Authorization, out var principal))
                    {
                        return;
                    }

                    // The signature is known good; what the token may do now is still asked of the access cache.
                    var access = context.HttpContext.RequestServices.GetRequiredService<TokenAccessCache>();
                    if (TokenAccessCache.IsExempt(principal))
                    {
                        context.Principal = ValidatedTokenCache.Copy(principal);
                    }
                    else if (access.TryApply(TokenAccessCache.BearerToken(context.Request.Headers.Authorization), principal, out var outcome))
                    {
                        TokenAccessCache.Complete(context, outcome);
                    }
                    else
                    {
                        TokenAccessCache.Complete(context, await access.ApplyAsync(
                            TokenAccessCache.BearerToken(context.Request.Headers.Authorization).ToString(), principal));
                    }

                    if (context.Result is null)
                    {
                        context.Success();
                    }
                };
                options.Events.OnTokenValidated = async context =>
                {
                    // The token's own principal is cached, before the access check replaces its role claims.
                    var tokenPrincipal = context.Principal;
                    await tokenValidated(context);
                    if (context.Result is null && tokenPrincipal is not null && context.SecurityToken is JsonWebToken token)
                    {
                        cache.Add(token.EncodedToken, tokenPrincipal, new DateTimeOffset(token.ValidTo, TimeSpan.Zero));
                    }
                };
            });
        return builder;
    }

    private static bool TryGetCached(ValidatedTokenCache cache, string? authorization, [NotNullWhen(true)] out ClaimsPrincipal? principal)
    {
        var token = TokenAccessCache.BearerToken(authorization);
        principal = null;
        return !token.IsEmpty && cache.TryGetShared(token, out principal);
    }
}
