namespace SentryFlow.Analytics.Caching;

/// <summary>What the cache had for a question: the answer's JSON on a hit; whether to store the computed one otherwise.</summary>
public sealed record CacheLookup(string Outcome, byte[]? Answer)
{
    public const string Hit = "hit";
    public const string Miss = "miss";
    public const string Stale = "stale";
    public const string Bypass = "bypass";

    /// <summary>An answer computed now may be stored (Redis answered).</summary>
    public bool Storable => Outcome is Miss or Stale;
}
