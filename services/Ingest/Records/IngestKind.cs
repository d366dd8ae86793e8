namespace SentryFlow.Ingest.Records;

/// <summary>What a post carries: request records or events. Each kind has its own idempotency namespace.</summary>
public enum IngestKind
{
    Record,
    Event,
}
