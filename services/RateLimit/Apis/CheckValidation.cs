using SentryFlow.RateLimit.Apis.Requests;
using SentryFlow.RateLimit.Infrastructure;

namespace SentryFlow.RateLimit.Apis;

/// <summary>
/// The field rules of the check endpoints, written out rather than left to the framework's attribute validation,
/// which walked every property of every batch item through an async validator: an eighth of a batch decision's CPU.
/// </summary>
public static class CheckValidation
{
    public const int MaxRoute = 2048;
    public const int MaxMethod = 16;
    public const int MaxIp = 64;

    /// <summary>The errors of a single check, by field; null when it is valid.</summary>
    public static Dictionary<string, string[]>? Validate(Guid? projectId, CheckItem item)
    {
        Dictionary<string, string[]>? errors = null;
        if (projectId is null)
        {
            Add(ref errors, "projectId", "The project id is required.");
        }

        ValidateItem(item, "", ref errors);
        return errors;
    }

    /// <summary>The errors of a batch, by field (<c>items[i].field</c> for an item's); null when it is valid.</summary>
    public static Dictionary<string, string[]>? Validate(CheckBatchRequest request)
    {
        Dictionary<string, string[]>? errors = null;
        if (request.ProjectId is null)
        {
            Add(ref errors, "projectId", "The project id is required.");
        }

        if (request.Items is not { Count: > 0 and <= Limits.MaxBatch } items)
        {
            Add(ref errors, "items", $"A batch holds 1 to {Limits.MaxBatch} items.");
            return errors;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is { } item)
            {
                ValidateItem(item, $"items[{i}].", ref errors);
            }
            else
            {
                Add(ref errors, $"items[{i}]", "An item is required.");
            }
        }

        return errors;
    }

    private static void ValidateItem(CheckItem item, string prefix, ref Dictionary<string, string[]>? errors)
    {
        MaxLength(item.Policy, Limits.Name, prefix, "policy", ref errors);
        MaxLength(item.Route, MaxRoute, prefix, "route", ref errors);
        MaxLength(item.Method, MaxMethod, prefix, "method", ref errors);
        MaxLength(item.Identifier, Limits.Identifier, prefix, "identifier", ref errors);
        MaxLength(item.KeyId, Limits.Identifier, prefix, "keyId", ref errors);
        MaxLength(item.Owner, Limits.Identifier, prefix, "owner", ref errors);
        MaxLength(item.Ip, MaxIp, prefix, "ip", ref errors);
        if (item.Cost is < 0 or > Limits.MaxCost)
        {
            Add(ref errors, prefix + "cost", $"The cost is 0 to {Limits.MaxCost}.");
        }
    }

    private static void MaxLength(string? value, int max, string prefix, string field, ref Dictionary<string, string[]>? errors)
    {
        if (value is { Length: var length } && length > max)
        {
            Add(ref errors, prefix + field, $"At most {max} characters.");
        }
    }

    private static void Add(ref Dictionary<string, string[]>? errors, string field, string message) =>
        (errors ??= [])[field] = [message];
}
