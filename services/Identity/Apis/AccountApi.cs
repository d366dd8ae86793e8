using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Identity.Accounts;
using SentryFlow.Identity.Apis.Requests;
using SentryFlow.Identity.Apis.Responses;
using SentryFlow.Identity.Audit;
using SentryFlow.Identity.Infrastructure;

namespace SentryFlow.Identity.Apis;

/// <summary>
/// Sign-up and the signed-in user's own account. Signing in is the token endpoint's password flow; signing out is
/// revoking the refresh token at <c>/connect/revoke</c>.
/// </summary>
public static class AccountApi
{
    public const string RegisterThrottle = "register";

    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/api/account").WithTags("Account");
        account.MapPost("/register", RegisterAsync).AllowAnonymous().RequireRateLimiting(RegisterThrottle)
            .WithMetadata(new ThrottleProblem(IdentityProblems.RegistrationThrottled));
        account.MapGet("/me", GetMeAsync).RequireAuthorization();
        account.MapPut("/me", UpdateProfileAsync).RequireAuthorization();
        account.MapPost("/password", ChangePasswordAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> RegisterAsync(
        RegisterRequest request, UserManager<ApplicationUser> users, IdentityDbContext db, CancellationToken cancellationToken)
    {
        IdentityResult? failure = null;
        var user = await db.InTransactionAsync(async ct =>
        {
            var created = new ApplicationUser { UserName = request.Email, Email = request.Email, DisplayName = request.DisplayName };
            var result = await users.CreateAsync(created, request.Password);
            if (!result.Succeeded)
            {
                failure = result;
                return created;
            }

            db.AddIntegrationEvent(new UserRegistered(created.Id, request.Email, request.DisplayName, created.CreatedAt));
            await db.SaveChangesAsync(ct);
            return created;
        }, cancellationToken);

        return failure is not null
            ? failure.ToValidationProblem()
            : TypedResults.Created("/api/account/me", new UserResponse(user.Id, user.Email!, user.DisplayName, user.CreatedAt, false, false, []));
    }

    private static async Task<IResult> GetMeAsync(HttpContext http, UserManager<ApplicationUser> users, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(http.User.GetUserId().ToString());
        if (user is null)
        {
            return IdentityProblems.AccountGone.Result();
        }

        var organizations = await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == user.Id)
            .Join(db.Organizations, m => m.OrganizationId, o => o.Id, (m, o) => new OrganizationResponse(o.Id, o.Name, o.CreatedAt, m.Role))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new MeResponse(user.Id, user.Email!, user.DisplayName, user.CreatedAt, [.. await users.GetRolesAsync(user)], organizations));
    }

    private static async Task<IResult> UpdateProfileAsync(HttpContext http, UpdateProfileRequest request, UserManager<ApplicationUser> users)
    {
        var user = await users.FindByIdAsync(http.User.GetUserId().ToString());
        if (user is null)
        {
            return IdentityProblems.AccountGone.Result();
        }

        user.DisplayName = request.DisplayName;
        var result = await users.UpdateAsync(user);
        return result.Succeeded ? TypedResults.NoContent() : result.ToValidationProblem();
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext http, ChangePasswordRequest request, UserManager<ApplicationUser> users, AuditLog audit)
    {
        var user = await users.FindByIdAsync(http.User.GetUserId().ToString());
        if (user is null)
        {
            return IdentityProblems.AccountGone.Result();
        }

        var result = await users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
        await audit.RecordAsync(AuditActions.PasswordChanged, result.Succeeded, subjectUserId: user.Id);
        return result.Succeeded ? TypedResults.NoContent() : result.ToValidationProblem(passwordField: "newPassword");
    }
}
