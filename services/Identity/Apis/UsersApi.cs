using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using SentryFlow.Identity.Accounts;
using SentryFlow.Identity.Apis.Responses;
using SentryFlow.Identity.Audit;
using SentryFlow.ServiceDefaults.Authentication;

namespace SentryFlow.Identity.Apis;

/// <summary>Every account, for platform administrators: list, disable (which also revokes its tokens), enable.</summary>
public static class UsersApi
{
    private const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(SentryFlowPolicies.PlatformAdmin);
        users.MapGet("/", ListAsync);
        users.MapPost("/{userId:guid}/disable", DisableAsync);
        users.MapPost("/{userId:guid}/enable", EnableAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(UserManager<ApplicationUser> users, CancellationToken cancellationToken, int offset = 0, int limit = 100)
    {
        if (limit is < 1 or > MaxLimit || offset < 0)
        {
            return IdentityProblems.PagingInvalid.Validation(limit is < 1 or > MaxLimit ? "limit" : "offset", $"limit is 1 to {MaxLimit}; offset is 0 or more.");
        }

        var page = await users.Users.AsNoTracking().OrderBy(u => u.Email).Skip(offset).Take(limit).ToListAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var result = new List<UserResponse>(page.Count);
        foreach (var user in page)
        {
            result.Add(new UserResponse(user.Id, user.Email!, user.DisplayName, user.CreatedAt, user.IsDisabled,
                user.LockoutEnd > now, [.. await users.GetRolesAsync(user)]));
        }

        return TypedResults.Ok(result);
    }

    private static async Task<IResult> DisableAsync(
        Guid userId, UserManager<ApplicationUser> users, IOpenIddictTokenManager tokens, AuditLog audit, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return IdentityProblems.UserNotFound.Result();
        }

        user.IsDisabled = true;
        await users.UpdateAsync(user);
        await tokens.RevokeBySubjectAsync(user.Id.ToString(), cancellationToken);
        await audit.RecordAsync(AuditActions.UserDisabled, succeeded: true, subjectUserId: user.Id);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> EnableAsync(Guid userId, UserManager<ApplicationUser> users, AuditLog audit)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return IdentityProblems.UserNotFound.Result();
        }

        user.IsDisabled = false;
        await users.UpdateAsync(user);
        await audit.RecordAsync(AuditActions.UserEnabled, succeeded: true, subjectUserId: user.Id);
        return TypedResults.NoContent();
    }
}
