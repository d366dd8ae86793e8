namespace SentryFlow.Identity.Audit;

/// <summary>The names of audited actions.</summary>
public static class AuditActions
{
    public const string SignIn = "sign-in";
    public const string TokenRefresh = "token-refresh";
    public const string TokenRevoked = "token-revoked";
    public const string PasswordChanged = "password-changed";
    public const string UserDisabled = "user-disabled";
    public const string UserEnabled = "user-enabled";
    public const string MemberAdded = "member-added";
    public const string RoleChanged = "role-changed";
    public const string MemberRemoved = "member-removed";
    public const string OrganizationDeleted = "organization-deleted";
    public const string ProjectDeleted = "project-deleted";
    public const string ClientCreated = "client-created";
}
