using SentryFlow.Contracts.Authorization;

namespace SentryFlow.Identity.Apis.Responses;

/// <summary>A new machine client. The secret is shown this once; only its hash is kept.</summary>
public sealed record ClientCreatedResponse(string ClientId, string ClientSecret, string Name, OrganizationRole Role);
