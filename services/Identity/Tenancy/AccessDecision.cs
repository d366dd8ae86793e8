using SentryFlow.Contracts.Authorization;

namespace SentryFlow.Identity.Tenancy;

/// <summary>The caller's role in an organization (null when not a member) and, when refused, the answer to send.</summary>
public sealed record AccessDecision(OrganizationRole? Role, IResult? Denied);
