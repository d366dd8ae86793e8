namespace SentryFlow.Ingest.Publishing;

/// <summary>The broker did not confirm in time; the batch is not accepted (though what the broker received may still be delivered).</summary>
public sealed class BusUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
