using Microsoft.AspNetCore.Identity;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Identity.Accounts;
using SentryFlow.Identity.Infrastructure;

namespace SentryFlow.Identity.Bootstrap;

/// <summary>
/// Creates the first platform administrator at start, only when told to: <c>Identity:Bootstrap:AdminEmail</c> and
/// <c>Identity:Bootstrap:AdminPassword</c> (e.g. the environment variables <c>Identity__Bootstrap__AdminEmail</c> and
/// <c>Identity__Bootstrap__AdminPassword</c> given to the AppHost, which its services inherit). There is no default
/// account or password. An existing account with that email is made an
/// administrator and its password is left alone.
/// </summary>
public sealed partial class FirstAdministrator(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<FirstAdministrator> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var email = configuration["Identity:Bootstrap:AdminEmail"];
        var password = configuration["Identity:Bootstrap:AdminPassword"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();

        if (!await roles.RoleExistsAsync(SentryFlowClaims.PlatformAdmin))
        {
            Check(await roles.CreateAsync(new IdentityRole<Guid>(SentryFlowClaims.PlatformAdmin)), "create the admin role");
        }

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new ApplicationUser { UserName = email, Email = email, DisplayName = "Administrator" };
            Check(await users.CreateAsync(user, password), $"create the administrator {email}");
            db.AddIntegrationEvent(new UserRegistered(user.Id, email, user.DisplayName, user.CreatedAt));
            await db.SaveChangesAsync(cancellationToken);
            LogCreated(logger, email);
        }

        if (!await users.IsInRoleAsync(user, SentryFlowClaims.PlatformAdmin))
        {
            Check(await users.AddToRoleAsync(user, SentryFlowClaims.PlatformAdmin), $"make {email} an administrator");
            LogPromoted(logger, email);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first administrator {Email}")]
    private static partial void LogCreated(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Email} is a platform administrator")]
    private static partial void LogPromoted(ILogger logger, string email);
}
