namespace SentryFlow.Samples.TrafficGenerator.Bootstrap;

/// <summary>A key the demo issued, with its secret (kept in memory and in the secrets file, never logged).</summary>
public sealed record IssuedKey(Guid Id, string Name, string? Owner, string Secret)
{
    /// <summary>What may be shown of it: the secret's first characters, as keys' list shows.</summary>
    public string Shown => $"{Name} ({Secret[..Math.Min(12, Secret.Length)]}…)";

    public override string ToString() => Shown;
}

/// <summary>A machine client of the demo organization, with its secret (kept like a key's).</summary>
public sealed record IssuedClient(string ClientId, string Name, string ClientSecret)
{
    public override string ToString() => $"{Name} ({ClientId})";
}

/// <summary>Everything the bootstrap made or found: the tenant the traffic runs in.</summary>
public sealed record DemoTenant(
    Guid OrganizationId,
    Guid ProjectId,
    IssuedKey IngestKey,
    IReadOnlyDictionary<string, IssuedKey> ConsumerKeys,
    IssuedClient OrdersClient,
    Guid RateLimitPolicyId,
    IReadOnlyList<Guid> AlertRuleIds);
