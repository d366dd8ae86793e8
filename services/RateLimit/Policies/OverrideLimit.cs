namespace SentryFlow.RateLimit.Policies;

/// <summary>An override's value for one of the policy's named limits (the window stays the policy's, so counters carry over).</summary>
public sealed class OverrideLimit
{
    public required string Name { get; set; }

    public long Limit { get; set; }

    public long? Burst { get; set; }
}
