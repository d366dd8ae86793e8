using SentryFlow.Alerting.Evaluation;

namespace SentryFlow.Alerting.Apis.Responses;

/// <summary>A rule evaluated now without changing anything: its value(s) and whether its condition holds (it fires once it has held for <c>for</c>).</summary>
public sealed record DryRunResponse(double? Value, bool WouldFire, IReadOnlyList<GroupMeasurement> Groups, string? Error);
