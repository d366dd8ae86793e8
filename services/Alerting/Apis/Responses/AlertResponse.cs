using SentryFlow.Alerting.Alerts;

namespace SentryFlow.Alerting.Apis.Responses;

public sealed record AlertResponse(
    Guid Id,
    Guid RuleId,
    string RuleName,
    string Severity,
    string GroupKey,
    AlertState State,
    double? Value,
    DateTimeOffset? ActiveSince,
    DateTimeOffset? FiredAt,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgementExpiresAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<TransitionResponse>? History = null);
