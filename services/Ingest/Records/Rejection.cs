namespace SentryFlow.Ingest.Records;

/// <summary>Why an item of a batch was not accepted: its index, the field, and the reason.</summary>
public sealed record Rejection(int Index, string Field, string Reason);
