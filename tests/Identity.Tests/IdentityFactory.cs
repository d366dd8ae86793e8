using SentryFlow.Testing;

namespace SentryFlow.Identity.Tests;

/// <summary>The identity service against real PostgreSQL, with lockouts short enough to watch lift and throttles out of the way.</summary>
public sealed class IdentityFactory : ServiceFactory<Program>
{
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromSeconds(3);

    public IdentityFactory()
    {
        Settings["Identity:Lockout:Duration"] = LockoutDuration.ToString();
        Settings["Identity:Throttle:SignInPerAddressPerMinute"] = "100000";
        Settings["Identity:Throttle:RegisterPerAddressPerMinute"] = "100000";
        Settings["Identity:Throttle:SignInPerAccountPerMinute"] = "100";
        Settings["Identity:Bootstrap:AdminEmail"] = AdminEmail;
        Settings["Identity:Bootstrap:AdminPassword"] = AdminPassword;
        Settings[$"Identity:ServiceClients:{ServiceClientId}"] = ServiceClientSecret;
    }

    public const string ServiceClientId = "ingest-test";

    // Only for this throwaway test database.
    public const string ServiceClientSecret = "service-client-secret-for-tests";

    public const string AdminEmail = "root@sentryflow.test";

    // Only for this throwaway test database.
    public const string AdminPassword = "Bootstrap-Admin-42";
}
