using SentryFlow.Alerting.Alerts;

namespace SentryFlow.Alerting.Apis.Responses;

public sealed record TransitionResponse(AlertState From, AlertState To, DateTimeOffset At, double? Value, string? Actor, string? Reason);
