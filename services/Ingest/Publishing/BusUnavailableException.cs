namespace SentryFlow.Ingest.Publishing;

/// <summary>The broker did not confirm in time; nothing of the batch counts as accepted.</summary>
public sealed class BusUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
