namespace SentryFlow.Samples.TrafficGenerator.Traffic;

/// <summary>One request the plan asks for: when (since the plan's start), by whom, what; <see cref="InBurst"/> when part of a burst.</summary>
public readonly record struct PlannedRequest(TimeSpan At, string Consumer, RequestKind Kind, bool InBurst);
