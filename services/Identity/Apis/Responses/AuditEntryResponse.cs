namespace SentryFlow.Identity.Apis.Responses;

public sealed record AuditEntryResponse(
    long Id, DateTimeOffset At, string Action, bool Succeeded, string? Actor, Guid? SubjectUserId, string? Target, string? IpAddress, string? UserAgent);
