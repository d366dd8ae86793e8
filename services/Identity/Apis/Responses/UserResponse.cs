namespace SentryFlow.Identity.Apis.Responses;

public sealed record UserResponse(Guid Id, string Email, string DisplayName, DateTimeOffset CreatedAt, bool IsDisabled, bool IsLockedOut, IReadOnlyList<string> Roles);
