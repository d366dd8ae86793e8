namespace SentryFlow.Ingest.DeadLetters;

/// <summary>A batch a downstream consumer gave up on, as found in its error queue.</summary>
public sealed record DeadLetter(string Queue, string? MessageId, string? MessageType, string? Reason, string? ExceptionType, string? ExceptionMessage, int Size);
