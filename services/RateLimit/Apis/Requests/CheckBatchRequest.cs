using System.ComponentModel.DataAnnotations;
using SentryFlow.RateLimit.Infrastructure;

namespace SentryFlow.RateLimit.Apis.Requests;

/// <summary>Many decisions for one project, as a gateway sends them; answered in the same order.</summary>
public sealed record CheckBatchRequest(
    [property: Required] Guid? ProjectId,
    [property: Required, MinLength(1), MaxLength(Limits.MaxBatch)] IReadOnlyList<CheckItem>? Items);
