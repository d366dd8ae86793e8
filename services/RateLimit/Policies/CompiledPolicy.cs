using SentryFlow.RateLimit.Decisions;

namespace SentryFlow.RateLimit.Policies;

/// <summary>A policy prepared for the hot path: parsed route patterns, its Redis key prefix, overrides indexed.</summary>
public sealed class CompiledPolicy
{
    private readonly Dictionary<(OverrideTarget, string), PolicyOverride> _exact;
    private readonly (PolicyOverride Override, int Length)[] _wildcards;

    public CompiledPolicy(RateLimitPolicy policy)
    {
        Id = policy.Id;
        ProjectId = policy.ProjectId;
        Name = policy.Name;
        Algorithm = policy.Algorithm;
        PartitionBy = [.. policy.PartitionBy];
        FailureMode = policy.FailureMode;
        Routes = [.. policy.Routes.Select(RoutePatternMatcher.Parse).OrderByDescending(r => r.Specificity)];
        Methods = [.. policy.Methods.Select(m => m.ToUpperInvariant())];
        Limits = [.. policy.Limits.Select(l => new EffectiveLimit(l.Name, l.Limit, l.WindowSeconds, l.Burst ?? l.Limit))];
        KeyPrefix = RedisRateLimiter.KeyPrefix(policy.Id);
        _exact = new(EqualityComparer<(OverrideTarget, string)>.Create(
            (a, b) => a.Item1 == b.Item1 && string.Equals(a.Item2, b.Item2, StringComparison.OrdinalIgnoreCase),
            k => HashCode.Combine(k.Item1, StringComparer.OrdinalIgnoreCase.GetHashCode(k.Item2))));
        var wildcards = new List<(PolicyOverride, int)>();
        foreach (var o in policy.Overrides.OrderBy(o => o.CreatedAt))
        {
            if (WildcardPattern.IsWildcard(o.Pattern))
            {
                wildcards.Add((o, o.Pattern.Replace("*", "", StringComparison.Ordinal).Length));
            }
            else
            {
                _exact.TryAdd((o.Target, o.Pattern), o);
            }
        }

        // The most specific wildcard (most literal characters) first; ties: the older one.
        _wildcards = [.. wildcards.OrderByDescending(w => w.Item2)];
    }

    public Guid Id { get; }

    public Guid ProjectId { get; }

    public string Name { get; }

    public RateLimitAlgorithm Algorithm { get; }

    public PartitionKey[] PartitionBy { get; }

    public FailureMode FailureMode { get; }

    public RoutePatternMatcher[] Routes { get; }

    public string[] Methods { get; }

    public EffectiveLimit[] Limits { get; }

    public string KeyPrefix { get; }

    /// <summary>Whether the policy applies to <paramref name="route"/> and <paramref name="method"/>; the matching pattern, if any.</summary>
    public bool AppliesTo(string? route, string? method, out string? matchedPattern)
    {
        matchedPattern = null;
        if (Methods.Length > 0 && (method is null || !Methods.Contains(method, StringComparer.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (Routes.Length == 0)
        {
            return true;
        }

        if (route is null)
        {
            return false;
        }

        foreach (var pattern in Routes)
        {
            if (pattern.Matches(route))
            {
                matchedPattern = pattern.Pattern;
                return true;
            }
        }

        return false;
    }

    /// <summary>The limits for a caller: an exact override beats a wildcard, a key id beats an owner beats an identifier.</summary>
    public EffectiveLimit[] LimitsFor(string? keyId, string? owner, string identifier, out PolicyOverride? applied)
    {
        applied = Find(keyId, owner, identifier);
        if (applied is null)
        {
            return Limits;
        }

        var limits = (EffectiveLimit[])Limits.Clone();
        foreach (var replacement in applied.Limits)
        {
            var i = Array.FindIndex(limits, l => l.Name == replacement.Name);
            if (i >= 0)
            {
                limits[i] = limits[i] with { Limit = replacement.Limit, Burst = replacement.Burst ?? replacement.Limit };
            }
        }

        return limits;
    }

    private PolicyOverride? Find(string? keyId, string? owner, string identifier)
    {
        if (_exact.Count == 0 && _wildcards.Length == 0)
        {
            return null;
        }

        if (keyId is not null && _exact.TryGetValue((OverrideTarget.KeyId, keyId), out var o)
            || owner is not null && _exact.TryGetValue((OverrideTarget.Owner, owner), out o)
            || _exact.TryGetValue((OverrideTarget.Identifier, identifier), out o))
        {
            return o;
        }

        foreach (var (candidate, _) in _wildcards)
        {
            var value = candidate.Target switch
            {
                OverrideTarget.KeyId => keyId,
                OverrideTarget.Owner => owner,
                _ => identifier,
            };
            if (value is not null && WildcardPattern.Matches(candidate.Pattern, value))
            {
                return candidate;
            }
        }

        return null;
    }
}
