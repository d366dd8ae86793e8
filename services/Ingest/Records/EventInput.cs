using System.Text.Json;

namespace SentryFlow.Ingest.Records;

/// <summary>A generic event as posted.</summary>
public sealed record EventInput(string? EventId, string? Type, DateTimeOffset? Timestamp, JsonElement? Payload);
