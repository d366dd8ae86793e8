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
                    if (context.Result is null && context.Token is null && BearerToken(context.Request.Headers.Authorization) is { IsEmpty: false } token
                        && cache.TryGet(token, out var principal))
                    {
                        context.Principal = principal;
                        context.Success();
                    }
                };
                options.Events.OnTokenValidated = async context =>
                {
                    await tokenValidated(context);
                    if (context.Result is null && context.Principal is { } principal && context.SecurityToken is JsonWebToken token)
                    {
                        cache.Add(token.EncodedToken, principal, new DateTimeOffset(token.ValidTo, TimeSpan.Zero));
                    }
                };
            });
        return builder;
    }

    private static ReadOnlySpan<char> BearerToken(string? authorization) =>
        authorization is { Length: > 7 } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value.AsSpan(7).Trim() : [];
}
