namespace SentryFlow.RateLimit.Policies;

/// <summary>A project's rate-limit policy: an algorithm, what it partitions by, where it applies, and its limits.</summary>
public sealed class RateLimitPolicy
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid ProjectId { get; init; }

    /// <summary>Unique in the project; callers of <c>check</c> name the policy by it.</summary>
    public required string Name { get; set; }

    public RateLimitAlgorithm Algorithm { get; set; }

    /// <summary>What the counters are kept per; several keys make a combined identifier (e.g. key id and IP).</summary>
    public List<PartitionKey> PartitionBy { get; set; } = [];

    /// <summary>Route patterns the policy applies to when a check names a route instead of a policy; empty: every route.</summary>
    public List<string> Routes { get; set; } = [];

    /// <summary>HTTP methods it applies to (upper case); empty: every method.</summary>
    public List<string> Methods { get; set; } = [];

    public List<PolicyLimit> Limits { get; set; } = [];

    public FailureMode FailureMode { get; set; }

    public List<PolicyOverride> Overrides { get; set; } = [];

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}
