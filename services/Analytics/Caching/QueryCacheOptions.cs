namespace SentryFlow.Analytics.Caching;

/// <summary>How long query answers are kept in Redis (section <c>Analytics:Cache</c>).</summary>
public sealed class QueryCacheOptions
{
    public const string Section = "Analytics:Cache";

    /// <summary>Off by default until the existing suite passes reliably with it on (see README).</summary>
    public bool Enabled { get; set; }

    /// <summary>A range ending at least this long ago is settled: little arrives for it any more.</summary>
    public TimeSpan SettledAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an answer over a settled range is kept.</summary>
    public TimeSpan SettledTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an answer over a range reaching into the last <see cref="SettledAfter"/> is kept.</summary>
    public TimeSpan RecentTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest a query waits for Redis before it is answered from PostgreSQL alone.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);
}
