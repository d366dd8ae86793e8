using System.ComponentModel.DataAnnotations;
using SentryFlow.Identity.Infrastructure;

namespace SentryFlow.Identity.Apis.Requests;

public sealed record RegisterRequest(
    [property: Required, EmailAddress, MaxLength(Limits.Email)] string Email,
    [property: Required, MaxLength(Limits.Password)] string Password,
    [property: Required, MinLength(1), MaxLength(Limits.DisplayName)] string DisplayName);
