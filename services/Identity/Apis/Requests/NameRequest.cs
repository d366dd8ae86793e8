using System.ComponentModel.DataAnnotations;
using SentryFlow.Identity.Infrastructure;

namespace SentryFlow.Identity.Apis.Requests;

/// <summary>Creates or renames an organization or a project.</summary>
public sealed record NameRequest([property: Required, MinLength(1), MaxLength(Limits.Name)] string Name);
