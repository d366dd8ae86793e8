namespace SentryFlow.RateLimit.Policies;

/// <summary>
/// Different limits for some callers of a policy: an API key, an owner, or identifiers matching a pattern. An
/// exact pattern beats a wildcard (<c>*</c> matches any run of characters); among wildcards the longest wins.
/// </summary>
public sealed class PolicyOverride
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid PolicyId { get; set; }

    public OverrideTarget Target { get; set; }

    /// <summary>An exact value, or a pattern with <c>*</c> wildcards such as <c>*@acme.com</c>.</summary>
    public required string Pattern { get; set; }

    /// <summary>The policy's limits this override replaces, by name; a limit not named keeps the policy's value.</summary>
    public List<OverrideLimit> Limits { get; set; } = [];

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
