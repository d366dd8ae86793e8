namespace SentryFlow.Alerting.Rules;

public enum RuleKind
{
    /// <summary>The metric compared with the threshold.</summary>
    Threshold,

    /// <summary>Requests in the window below the threshold (a floor): the API or its monitoring went silent.</summary>
    NoTraffic,

    /// <summary>
    /// The error budget of an availability or latency objective (<see cref="SloObjective"/>) over 30 days burning too fast, on the Google SRE workbook's
    /// multiwindow pairs: both windows of a pair must burn faster than its factor.
    /// </summary>
    SloBurnRate,
}
