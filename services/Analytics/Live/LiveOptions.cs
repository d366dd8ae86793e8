namespace SentryFlow.Analytics.Live;

/// <summary>Limits of the live streams (section <c>Analytics:Live</c>).</summary>
public sealed class LiveOptions
{
    public const string Section = "Analytics:Live";

    /// <summary>Records a tail client may have waiting; more are dropped (and counted) rather than buffered.</summary>
    public int TailBuffer { get; set; } = 1000;

    /// <summary>Records a tail client is sent per second at most; the rest are dropped and counted.</summary>
    public int TailMaxRecordsPerSecond { get; set; } = 200;

    /// <summary>How long a quiet tail waits before sending a comment, so that proxies keep the connection open.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
}
