using System.ComponentModel.DataAnnotations;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Identity.Infrastructure;

namespace SentryFlow.Identity.Apis.Requests;

public sealed record AddMemberRequest(
    [property: Required, EmailAddress, MaxLength(Limits.Email)] string Email,
    [property: Required] OrganizationRole? Role);
