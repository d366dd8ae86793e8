namespace SentryFlow.Alerting.Alerts;

/// <summary>One move of an alert from a state to another, with the value that caused it and who, if a user did.</summary>
public sealed class AlertTransition
{
    public long Id { get; init; }

    public Guid AlertId { get; init; }

    public AlertState From { get; init; }

    public AlertState To { get; init; }

    public DateTimeOffset At { get; init; }

    public double? Value { get; init; }

    public string? Actor { get; init; }

    public string? Reason { get; init; }
}
