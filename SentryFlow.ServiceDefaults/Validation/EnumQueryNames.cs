using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace SentryFlow.ServiceDefaults.Validation;

/// <summary>
/// Lets an enum query parameter take its value as the responses print it (<c>?state=firing</c>, <c>?state=noData</c>):
/// minimal APIs bind enums with the case-sensitive <c>Enum.TryParse</c>, so only <c>Firing</c> was accepted while every
/// answer says <c>firing</c>. Before the endpoint runs, a value of such a parameter that names a member in another case
/// is rewritten to the member's own name; anything else is left for binding to refuse (a 400 naming the parameter).
/// </summary>
internal static class EnumQueryNames
{
    private static readonly ConcurrentDictionary<Endpoint, FrozenDictionary<string, Type>> ParametersByEndpoint = new();

    public static Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        if (request.QueryString.HasValue && context.GetEndpoint() is { } endpoint)
        {
            var parameters = ParametersByEndpoint.GetOrAdd(endpoint, EnumQueryParametersOf);
            if (parameters.Count > 0 && Normalized(request.Query, parameters) is { } query)
            {
                request.QueryString = query;
            }
        }

        return next();
    }

    /// <summary>The query with every enum value written as its member's name; null when nothing needed it.</summary>
    private static QueryString? Normalized(IQueryCollection query, FrozenDictionary<string, Type> parameters)
    {
        var changed = false;
        var rebuilt = new QueryBuilder();
        foreach (var (name, values) in query)
        {
            if (!parameters.TryGetValue(name, out var enumType))
            {
                rebuilt.Add(name, [.. values.Select(v => v ?? "")]);
                continue;
            }

            var names = new string[values.Count];
            for (var i = 0; i < values.Count; i++)
            {
                var value = values[i] ?? "";
                names[i] = MemberName(enumType, value) ?? value;
                changed |= names[i] != value;
            }

            rebuilt.Add(name, names);
        }

        return changed ? rebuilt.ToQueryString() : null;
    }

    /// <summary>The member <paramref name="value"/> names in any case (or by its JSON name), else null.</summary>
    private static string? MemberName(Type enumType, string value)
    {
        foreach (var field in enumType.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.Name.Equals(value, StringComparison.OrdinalIgnoreCase)
                || field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name.Equals(value, StringComparison.OrdinalIgnoreCase) == true)
            {
                return field.Name;
            }
        }

        return null;
    }

    /// <summary>The handler's enum parameters (or arrays of them) that bind from the query, by query name (case-insensitive, as binding matches).</summary>
    private static FrozenDictionary<string, Type> EnumQueryParametersOf(Endpoint endpoint)
    {
        var found = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        var route = (endpoint as RouteEndpoint)?.RoutePattern;
        foreach (var parameter in endpoint.Metadata.GetMetadata<MethodInfo>()?.GetParameters() ?? [])
        {
            var type = parameter.ParameterType.IsArray ? parameter.ParameterType.GetElementType()! : parameter.ParameterType;
            type = Nullable.GetUnderlyingType(type) ?? type;
            var fromQuery = parameter.GetCustomAttribute<FromQueryAttribute>();
            var boundElsewhere = parameter.GetCustomAttributes().Any(a => a is FromRouteAttribute or FromHeaderAttribute or FromBodyAttribute or FromFormAttribute or FromServicesAttribute);
            var name = fromQuery?.Name ?? parameter.Name;
            if (type.IsEnum && !boundElsewhere && name is not null && (fromQuery is not null || route?.GetParameter(name) is null))
            {
                found[name] = type;
            }
        }

        return found.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
