namespace SentryFlow.Contracts.IntegrationEvents;

/// <summary>A user account was created (by sign-up or by the first-administrator step).</summary>
public sealed record UserRegistered(Guid UserId, string Email, string DisplayName, DateTimeOffset RegisteredAt);
