namespace SentryFlow.Analytics.Storage;

/// <summary>
/// A record already stored: <c>c:{clientId}</c> when the sender gave a client id, else <c>r:{recordId}</c>. Kept
/// outside the partitioned records table because a unique index there must include the partition key
/// (the timestamp), and a resent record may carry another timestamp.
/// </summary>
public sealed class RecordKey
{
    public Guid ProjectId { get; set; }

    public string Key { get; set; } = "";

    /// <summary>The stored record's timestamp (where to find it, and when the key may be forgotten).</summary>
    public DateTimeOffset Timestamp { get; set; }
}
