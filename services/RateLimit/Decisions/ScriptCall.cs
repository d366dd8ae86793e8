using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Decisions;

/// <summary>One run of an algorithm's script: the limits of one policy for one identifier, charged <see cref="Cost"/>.</summary>
public readonly record struct ScriptCall(RateLimitAlgorithm Algorithm, string KeyPrefix, string Identifier, IReadOnlyList<EffectiveLimit> Limits, long Cost);
