using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Alerts;

/// <summary>
/// The state an alert moves to after an evaluation, as Prometheus does it: matching starts <c>pending</c>, which
/// turns <c>firing</c> once it has matched for the rule's <c>for</c>; a firing alert that stops matching stays firing
/// for <c>keepFiringFor</c>, then resolves; a pending one goes back to inactive (or <c>nodata</c> without data).
/// </summary>
public static class AlertLifecycle
{
    public static AlertState Next(Alert alert, AlertRule rule, double? value, bool matches, DateTimeOffset now)
    {
        if (matches)
        {
            alert.LastMatchedAt = now;
            alert.ActiveSince ??= now;
            return alert.State == AlertState.Firing || now - alert.ActiveSince >= TimeSpan.FromSeconds(rule.ForSeconds)
                ? AlertState.Firing
                : AlertState.Pending;
        }

        if (alert.State == AlertState.Firing && alert.LastMatchedAt is { } last && now - last < TimeSpan.FromSeconds(rule.KeepFiringForSeconds))
        {
            return AlertState.Firing;
        }

        alert.ActiveSince = null;
        return alert.State switch
        {
            AlertState.Firing => AlertState.Resolved,
            _ when value is null => AlertState.NoData,
            AlertState.Resolved => AlertState.Resolved,
            _ => AlertState.Inactive,
        };
    }
}
