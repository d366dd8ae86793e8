using System.ComponentModel.DataAnnotations;
using SentryFlow.Identity.Infrastructure;

namespace SentryFlow.Identity.Apis.Requests;

public sealed record UpdateProfileRequest([property: Required, MinLength(1), MaxLength(Limits.DisplayName)] string DisplayName);
