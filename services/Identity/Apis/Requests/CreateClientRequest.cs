using System.ComponentModel.DataAnnotations;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Identity.Infrastructure;

namespace SentryFlow.Identity.Apis.Requests;

/// <summary>A machine client; its role is at most admin.</summary>
public sealed record CreateClientRequest(
    [property: Required, MinLength(1), MaxLength(Limits.Name)] string Name,
    [property: Required] OrganizationRole? Role);
