using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Alerting;

/// <summary>Every error answer of the alerting API (<c>GET /problems</c> lists them); codes are never renamed.</summary>
public static class AlertingProblems
{
    public static readonly ProblemType RuleInvalid = new("alerting.rule_invalid", StatusCodes.Status400BadRequest, "The alert rule is not valid.");
    public static readonly ProblemType ChannelInvalid = new("alerting.channel_invalid", StatusCodes.Status400BadRequest, "A notification channel is not valid.");
    public static readonly ProblemType DestinationRefused = new(
        "alerting.destination_refused", StatusCodes.Status400BadRequest,
        "A notification channel points at a loopback, private, link-local or internal destination, which is refused by policy.");
    public static readonly ProblemType SilenceInvalid = new("alerting.silence_invalid", StatusCodes.Status400BadRequest, "The silence is not valid.");
    public static readonly ProblemType QueryInvalid = new("alerting.query_invalid", StatusCodes.Status400BadRequest, "A query parameter is not valid.");
    public static readonly ProblemType AcknowledgementInvalid = new("alerting.acknowledgement_invalid", StatusCodes.Status400BadRequest, "The acknowledgement is not valid.");
    public static readonly ProblemType RuleNotFound = new("alerting.rule_not_found", StatusCodes.Status404NotFound, "No such alert rule in this project.");
    public static readonly ProblemType AlertNotFound = new("alerting.alert_not_found", StatusCodes.Status404NotFound, "No such alert in this project.");
    public static readonly ProblemType SilenceNotFound = new("alerting.silence_not_found", StatusCodes.Status404NotFound, "No such silence in this project.");
    public static readonly ProblemType AlertNotFiring = new("alerting.alert_not_firing", StatusCodes.Status409Conflict, "Only a firing alert can be acknowledged.");
    public static readonly ProblemType AlertNotActive = new("alerting.alert_not_active", StatusCodes.Status409Conflict, "Only a firing or pending alert can be resolved.");
    public static readonly ProblemType AlertChanged = new("alerting.alert_changed", StatusCodes.Status409Conflict, "The alert changed meanwhile (an evaluation); try again.");
}
