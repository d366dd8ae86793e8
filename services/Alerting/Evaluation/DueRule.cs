namespace SentryFlow.Alerting.Evaluation;

/// <summary>A rule an evaluator claimed, and the schedule slot it evaluates (the time its states and history record).</summary>
public sealed record DueRule(Guid Id, DateTimeOffset ScheduledAt);
