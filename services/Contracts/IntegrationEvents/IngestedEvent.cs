using System.Text.Json;

namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>A generic event a program reported: its id, type, time and JSON payload.</summary>
public sealed record IngestedEvent(string EventId, string Type, DateTimeOffset Timestamp, JsonElement Payload);
