namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>
/// A summary of verifications over a short interval (one message per interval and instance, not per request):
/// for each key and outcome, how many verifications there were.
/// </summary>
public sealed record ApiKeysVerified(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ApiKeyVerificationCount> Counts);
