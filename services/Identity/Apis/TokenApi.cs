using System.Text.Json;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Identity.Accounts;
using SentryFlow.Identity.Audit;
using SentryFlow.Identity.Bootstrap;
using SentryFlow.Identity.Infrastructure;
using SentryFlow.Identity.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SentryFlow.Identity.Apis;

/// <summary>
/// The token endpoint's decisions (OpenIddict has already checked the request's shape and, for machine clients,
/// their secret): the password flow for people, refresh with rotation, and client credentials for machines.
/// </summary>
public static class TokenApi
{
    public const string SignInThrottle = "sign-in";

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/token", ExchangeAsync)
            .RequireRateLimiting(SignInThrottle)
            .WithMetadata(new ThrottleProblem(IdentityProblems.SignInThrottled))
            .ExcludeFromDescription(); // described, with its form, by ConnectEndpointsDocument
        return app;
    }

    private static async Task<IResult> ExchangeAsync(
        HttpContext http,
        UserManager<ApplicationUser> users,
        TokenPrincipalFactory principals,
        AuditLog audit,
        AccountThrottle throttle,
        IOpenIddictApplicationManager applications,
        CancellationToken cancellationToken)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing.");

        if (request.IsPasswordGrantType())
        {
            return await PasswordAsync(http, request, users, principals, audit, throttle, cancellationToken);
        }

        if (request.IsRefreshTokenGrantType())
        {
            return await RefreshAsync(http, users, principals, audit, cancellationToken);
        }

        if (request.IsClientCredentialsGrantType())
        {
            return await ClientCredentialsAsync(request, applications, principals, cancellationToken);
        }

        return Reject(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    private static async Task<IResult> PasswordAsync(
        HttpContext http, OpenIddictRequest request, UserManager<ApplicationUser> users, TokenPrincipalFactory principals, AuditLog audit,
        AccountThrottle throttle, CancellationToken cancellationToken)
    {
        var email = request.Username!;
        if (!throttle.TryAcquire(email, out var retryAfter))
        {
            await audit.RecordAsync(AuditActions.SignIn, succeeded: false, actor: email, target: "throttled");
            await IdentityServiceExtensions.Throttled(http, IdentityProblems.SignInThrottled, retryAfter, "Too many sign-in attempts for this account.");
            return Results.Empty;
        }

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            await audit.RecordAsync(AuditActions.SignIn, succeeded: false, actor: email, target: "unknown account");
            return Reject(Errors.InvalidGrant, "The email or password is incorrect.");
        }

        if (user.IsDisabled)
        {
            await audit.RecordAsync(AuditActions.SignIn, succeeded: false, subjectUserId: user.Id, actor: email, target: "disabled");
            return Reject(Errors.InvalidGrant, "The account is disabled.");
        }

        if (await users.IsLockedOutAsync(user))
        {
            await audit.RecordAsync(AuditActions.SignIn, succeeded: false, subjectUserId: user.Id, actor: email, target: "locked out");
            return Reject(Errors.InvalidGrant, "The account is locked after repeated failures; try again later.");
        }

        if (!await users.CheckPasswordAsync(user, request.Password!))
        {
            await users.AccessFailedAsync(user);
            var locked = await users.IsLockedOutAsync(user);
            await audit.RecordAsync(AuditActions.SignIn, succeeded: false, subjectUserId: user.Id, actor: email,
                target: locked ? "wrong password; locked out" : "wrong password");
            return Reject(Errors.InvalidGrant, locked
                ? "The account is locked after repeated failures; try again later."
                : "The email or password is incorrect.");
        }

        await users.ResetAccessFailedCountAsync(user);
        await audit.RecordAsync(AuditActions.SignIn, succeeded: true, subjectUserId: user.Id, actor: user.Id.ToString());
        return SignIn(await principals.CreateAsync(user, request.GetScopes(), cancellationToken));
    }

    private static async Task<IResult> RefreshAsync(
        HttpContext http, UserManager<ApplicationUser> users, TokenPrincipalFactory principals, AuditLog audit, CancellationToken cancellationToken)
    {
        // OpenIddict has validated the refresh token (signature, expiry, not redeemed or revoked) and redeemed it.
        var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var subject = result.Principal?.GetClaim(Claims.Subject);
        var user = Guid.TryParse(subject, out var id) ? await users.FindByIdAsync(id.ToString()) : null;
        if (user is null || user.IsDisabled || await users.IsLockedOutAsync(user))
        {
            await audit.RecordAsync(AuditActions.TokenRefresh, succeeded: false, subjectUserId: user?.Id, actor: subject);
            return Reject(Errors.InvalidGrant, "The account can no longer sign in.");
        }

        // Fresh claims: a role changed since sign-in shows in the next access token.
        return SignIn(await principals.CreateAsync(user, result.Principal!.GetScopes(), cancellationToken));
    }

    private static async Task<IResult> ClientCredentialsAsync(
        OpenIddictRequest request, IOpenIddictApplicationManager applications, TokenPrincipalFactory principals, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(request.ClientId!, cancellationToken);
        if (application is null)
        {
            return Reject(Errors.InvalidClient, "The client is unknown.");
        }

        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        if (properties.ContainsKey(ServiceClients.ServiceProperty))
        {
            return SignIn(TokenPrincipalFactory.CreateForService(request.ClientId!));
        }

        if (!properties.TryGetValue(MachineClients.OrganizationProperty, out var organization)
            || !properties.TryGetValue(MachineClients.RoleProperty, out var role))
        {
            return Reject(Errors.UnauthorizedClient, "The client belongs to no organization.");
        }

        var name = await applications.GetDisplayNameAsync(application, cancellationToken) ?? request.ClientId!;
        return SignIn(await principals.CreateForClientAsync(request.ClientId!, name, organization.GetGuid(),
            role.Deserialize<OrganizationRole>(MachineClients.JsonOptions), request.GetScopes(), cancellationToken));
    }

    private static IResult SignIn(System.Security.Claims.ClaimsPrincipal principal) =>
        Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    private static IResult Reject(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
