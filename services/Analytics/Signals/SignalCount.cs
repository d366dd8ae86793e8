namespace SentryFlow.Analytics.Signals;

/// <summary>Occurrences of a signal in one minute of one project, to be added to <see cref="SignalMinute"/>.</summary>
public readonly record struct SignalCount(Guid ProjectId, DateTimeOffset Minute, string Signal, long Count);
