namespace SentryFlow.Analytics.Signals;

/// <summary>
/// How many times a signal (<see cref="SignalNames"/>) happened in one minute of one project. Alerting reads this
/// table with SQL (<c>analytics."SignalMinutes"</c>), so its name and columns are a contract; rows are only added to.
/// </summary>
public sealed class SignalMinute
{
    public Guid ProjectId { get; set; }

    /// <summary>The minute's start (UTC).</summary>
    public DateTimeOffset Minute { get; set; }

    public string Signal { get; set; } = "";

    public long Count { get; set; }
}
