using Microsoft.AspNetCore.Identity;

namespace SentryFlow.Identity.Accounts;

/// <summary>A person who signs in. Email is the user name.</summary>
public sealed class ApplicationUser : IdentityUser<Guid>
{
    public required string DisplayName { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>A disabled user cannot sign in or refresh; set by a platform administrator.</summary>
    public bool IsDisabled { get; set; }
}
