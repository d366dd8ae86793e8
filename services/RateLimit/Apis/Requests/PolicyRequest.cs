using System.ComponentModel.DataAnnotations;
using SentryFlow.RateLimit.Infrastructure;
using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Apis.Requests;

/// <summary>Creates or replaces a policy.</summary>
public sealed record PolicyRequest(
    [property: Required, MinLength(1), MaxLength(Limits.Name), RegularExpression(PolicyRequest.NamePattern, ErrorMessage = PolicyRequest.NameMessage)]
    string Name,
    [property: Required] RateLimitAlgorithm? Algorithm,
    [property: Required, MinLength(1), MaxLength(4)] IReadOnlyList<PartitionKey>? PartitionBy,
    [property: MaxLength(Limits.RoutesPerPolicy)] IReadOnlyList<string>? Routes,
    [property: MaxLength(8)] IReadOnlyList<string>? Methods,
    [property: Required, MinLength(1), MaxLength(Limits.LimitsPerPolicy)] IReadOnlyList<LimitRequest>? Limits,
    FailureMode? FailureMode) : IValidatableObject
{
    /// <summary>Names travel in structured-field strings (RateLimit headers): letters, digits, '.', '_' and '-'.</summary>
    public const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

    public const string NameMessage = "Use letters, digits, '.', '_' and '-', starting with a letter or digit.";

    public static readonly IReadOnlySet<string> HttpMethods =
        new HashSet<string>(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < (Routes?.Count ?? 0); i++)
        {
            if (!RoutePatternMatcher.TryParse(Routes![i], out _, out var error))
            {
                yield return new ValidationResult(error, [$"routes[{i}]"]);
            }
        }

        for (var i = 0; i < (Methods?.Count ?? 0); i++)
        {
            if (Methods![i] is not { } method || !HttpMethods.Contains(method))
            {
                yield return new ValidationResult($"Not one of {string.Join(", ", HttpMethods)}.", [$"methods[{i}]"]);
            }
        }

        if (PartitionBy is { } partitions && partitions.Distinct().Count() != partitions.Count)
        {
            yield return new ValidationResult("Each partition key may appear once.", ["partitionBy"]);
        }

        if (Limits is null)
        {
            yield break;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Limits.Count; i++)
        {
            var limit = Limits[i];
            if (limit is null)
            {
                yield return new ValidationResult("A limit is required.", [$"limits[{i}]"]);
                continue;
            }

            if (limit.Name is { } name && !names.Add(name))
            {
                yield return new ValidationResult("Limit names are unique within a policy.", [$"limits[{i}].name"]);
            }

            foreach (var error in ValidateBurst(Algorithm, limit.Limit, limit.WindowSeconds, limit.Burst, $"limits[{i}].burst"))
            {
                yield return error;
            }
        }
    }

    /// <summary>A burst only means something to the token bucket and GCRA, and must fit the exact integer arithmetic.</summary>
    public static IEnumerable<ValidationResult> ValidateBurst(RateLimitAlgorithm? algorithm, long? limit, int? windowSeconds, long? burst, string field)
    {
        if (burst is not null && algorithm is not (RateLimitAlgorithm.TokenBucket or RateLimitAlgorithm.Gcra))
        {
            yield return new ValidationResult("Only the tokenBucket and gcra algorithms take a burst.", [field]);
        }
        else if (algorithm is RateLimitAlgorithm.TokenBucket or RateLimitAlgorithm.Gcra
            && (burst ?? limit) is { } capacity && windowSeconds is { } window
            && capacity * window > Infrastructure.Limits.MaxBurstTimesWindowSeconds)
        {
            yield return new ValidationResult(
                $"burst (or limit) × windowSeconds must be at most {Infrastructure.Limits.MaxBurstTimesWindowSeconds}.", [field]);
        }
    }
}
