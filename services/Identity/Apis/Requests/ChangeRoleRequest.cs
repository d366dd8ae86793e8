using System.ComponentModel.DataAnnotations;
using SentryFlow.Contracts.Authorization;

namespace SentryFlow.Identity.Apis.Requests;

public sealed record ChangeRoleRequest([property: Required] OrganizationRole? Role);
