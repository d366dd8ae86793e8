namespace SentryFlow.Analytics.Queries;

/// <summary>
/// The intervals a time series can be asked for, by the name a query gives (<c>interval=5m</c>). The series endpoint
/// buckets by them, and the query cache widens a cached answer's minutes by one of them.
/// </summary>
public static class SeriesIntervals
{
    public static readonly IReadOnlyDictionary<string, TimeSpan> ByName = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["1m"] = TimeSpan.FromMinutes(1),
        ["5m"] = TimeSpan.FromMinutes(5),
        ["1h"] = TimeSpan.FromHours(1),
        ["1d"] = TimeSpan.FromDays(1),
    };
}
