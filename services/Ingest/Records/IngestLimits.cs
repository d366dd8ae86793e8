namespace SentryFlow.Ingest.Records;

/// <summary>What ingest accepts: sizes, counts, and how far from now a timestamp may be.</summary>
public static class IngestLimits
{
    public const int MaxBatchItems = 1000;
    public const long MaxBatchBytes = 1 << 20;
    public const int MaxBodyCharacters = 32 * 1024;
    public const int MaxEventPayloadBytes = 32 * 1024;
    public const int MaxHeaders = 100;
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);
    public static readonly TimeSpan MaxFuture = TimeSpan.FromMinutes(5);
}
