using System.ComponentModel.DataAnnotations;
using SentryFlow.Identity.Infrastructure;

namespace SentryFlow.Identity.Apis.Requests;

public sealed record ChangePasswordRequest(
    [property: Required, MaxLength(Limits.Password)] string CurrentPassword,
    [property: Required, MaxLength(Limits.Password)] string NewPassword);
