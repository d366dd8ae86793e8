namespace SentryFlow.Alerting.Apis.Requests;

/// <summary>An acknowledgement; with <see cref="ExpiresAt"/> it lapses then and a still-firing alert is notified again.</summary>
public sealed record AcknowledgeRequest(DateTimeOffset? ExpiresAt = null);
