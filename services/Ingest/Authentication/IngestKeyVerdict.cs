namespace SentryFlow.Ingest.Authentication;

/// <summary>The keys service's code for the key (<c>VALID</c>, <c>NOT_FOUND</c>, ...) and, when valid, the key.</summary>
public sealed record IngestKeyVerdict(string Code, IngestKey? Key);
