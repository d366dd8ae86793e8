namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>A chunk of generic events ingest accepted for one project.</summary>
public sealed record EventsAccepted(Guid BatchId, Guid ProjectId, Guid KeyId, DateTimeOffset AcceptedAt, IReadOnlyList<IngestedEvent> Events);
