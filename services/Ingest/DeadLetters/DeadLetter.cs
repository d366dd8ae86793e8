namespace SentryFlow.Ingest.DeadLetters;

/// <summary>A batch a downstream consumer gave up on, as found in its error queue.</summary>
/// <remarks><see cref="ProjectId"/> is the project the message was for, so an operator tells a poison message from its victims.</remarks>
public sealed record DeadLetter(string Queue, string? MessageId, string? MessageType, string? ProjectId, string? Reason, string? ExceptionType, string? ExceptionMessage, int Size);
