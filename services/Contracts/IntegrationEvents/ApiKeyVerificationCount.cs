namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>How many verifications of one key had one outcome (<c>VALID</c> or a refusal code).</summary>
public sealed record ApiKeyVerificationCount(Guid KeyId, Guid ProjectId, string Outcome, long Count);
