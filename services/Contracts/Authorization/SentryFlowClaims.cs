namespace SentryFlow.Contracts.Authorization;

/// <summary>
/// The claims of SentryFlow's access tokens beyond the standard ones (<c>sub</c>, <c>email</c>, <c>name</c>,
/// <c>role</c>). The identity service writes them; every other service authorizes from them without calling it.
/// </summary>
public static class SentryFlowClaims
{
    /// <summary>One per organization the subject belongs to: <c>{organizationId}:{role}</c>, e.g. <c>3f2…:admin</c>.</summary>
    public const string OrganizationRole = "org_role";

    /// <summary>One per project the subject can reach: <c>{projectId}:{role}</c> (the role held in its organization).</summary>
    public const string ProjectRole = "project_role";

    /// <summary>The platform-wide administrator role, carried in the standard <c>role</c> claim.</summary>
    public const string PlatformAdmin = "admin";

    /// <summary>The audience every SentryFlow API accepts.</summary>
    /// <summary>
    /// The role of SentryFlow's own services calling one another (a service client of identity's, signed in by client
    /// credentials), for internal endpoints such as rate-limit decisions made for ingest.
    /// </summary>
    public const string Service = "service";

    public const string ApiAudience = "sentryflow-api";

    /// <summary>The scope that asks for <see cref="ApiAudience"/>.</summary>
    public const string ApiScope = "api";

    public static string Format(Guid id, OrganizationRole role) => $"{id}:{role.ToString().ToLowerInvariant()}";

    /// <summary>Parses a <see cref="OrganizationRole"/> or <see cref="ProjectRole"/> value; false when malformed.</summary>
    public static bool TryParse(string value, out Guid id, out OrganizationRole role)
    {
        id = Guid.Empty;
        role = default;
        var separator = value.IndexOf(':');
        return separator > 0
            && Guid.TryParse(value.AsSpan(0, separator), out id)
            && Enum.TryParse(value.AsSpan(separator + 1), ignoreCase: true, out role)
            && Enum.IsDefined(role);
    }
}
