using SentryFlow.Ingest.Records;

namespace SentryFlow.Ingest.Apis;

/// <summary>What became of a post: accepted onto the bus, already seen (same client id within 24 h), rejected and why.</summary>
public sealed record IngestResult(int Accepted, int Duplicates, IReadOnlyList<Rejection> Rejected);
