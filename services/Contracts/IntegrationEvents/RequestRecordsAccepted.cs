namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>A chunk of request records ingest accepted for one project (one message per chunk, not per record).</summary>
public sealed record RequestRecordsAccepted(Guid BatchId, Guid ProjectId, Guid KeyId, DateTimeOffset AcceptedAt, IReadOnlyList<RequestRecord> Records);
