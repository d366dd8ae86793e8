using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Decisions;

/// <summary>What one decision is about: a policy, the partition's identifier, the caller's key and owner (for overrides), the cost.</summary>
public readonly record struct DecisionRequest(CompiledPolicy Policy, string Identifier, string? KeyId, string? Owner, long Cost);
