namespace SentryFlow.Ingest.Authentication;

/// <summary>The verified ingest key of a request: the project comes from here, never from the body.</summary>
public sealed record IngestKey(Guid KeyId, Guid ProjectId);
