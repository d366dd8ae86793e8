using System.ComponentModel.DataAnnotations;

namespace SentryFlow.Analytics.Live;

/// <summary>Limits of the live streams (section <c>Analytics:Live</c>).</summary>
public sealed class LiveOptions
{
    public const string Section = "Analytics:Live";

    /// <summary>Records a tail client may have waiting; more are dropped (and counted) rather than buffered.</summary>
    [Range(1, 1_000_000)]
    public int TailBuffer { get; set; } = 1000;

    /// <summary>Records a tail client is sent per second at most; the rest are dropped and counted.</summary>
    [Range(1, 1_000_000)]
    public int TailMaxRecordsPerSecond { get; set; } = 200;

    /// <summary>Live-view and tail streams one user (token subject) may have open at once on an instance.</summary>
    [Range(1, 10_000)]
    public int MaxStreamsPerUser { get; set; } = 10;

    /// <summary>Live-view and tail streams all users of one project may have open at once on an instance.</summary>
    [Range(1, 100_000)]
    public int MaxStreamsPerProject { get; set; } = 100;

    /// <summary>The <c>Retry-After</c> of a stream refused for a cap: streams end when their clients leave, not on a clock.</summary>
    public TimeSpan StreamRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a quiet tail waits before sending a comment, so that proxies keep the connection open.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
}
