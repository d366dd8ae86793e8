namespace SentryFlow.Alerting.Alerts;

public enum AlertState
{
    /// <summary>The condition does not hold.</summary>
    Inactive,

    /// <summary>The condition holds, for less than the rule's <c>for</c> so far.</summary>
    Pending,

    /// <summary>The condition has held for the rule's <c>for</c> (or is kept firing by <c>keepFiringFor</c>).</summary>
    Firing,

    /// <summary>It fired and then stopped matching, or a user resolved it.</summary>
    Resolved,

    /// <summary>The query had nothing to compute the value from.</summary>
    NoData,

    /// <summary>The query failed.</summary>
    Error,
}
