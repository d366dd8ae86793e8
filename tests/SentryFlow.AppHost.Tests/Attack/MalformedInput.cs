using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SentryFlow.AppHost.Tests.Attack;

/// <summary>
/// The malformed-input corpus: whole bodies that are not what any endpoint takes, and, for each property of an
/// endpoint's body, the plausible body with that one property broken (each broken value at a time). Every answer must
/// be a 4xx problem (or a success): never a 5xx.
/// </summary>
public static class MalformedInput
{
    /// <summary>The smallest request body limit of any service (identity's 64 KB): a larger body may be cut off.</summary>
    public const int SmallestBodyLimit = 64 * 1024;

    private static readonly string Huge = new('a', 100_000);

    /// <summary>Bodies no endpoint takes, whatever its schema.</summary>
    public static IEnumerable<(string What, string Json)> WholeBodies()
    {
        yield return ("an empty body", "");
        yield return ("null", "null");
        yield return ("an empty array", "[]");
        yield return ("an empty object", "{}");
        yield return ("a string", "\"probe\"");
        yield return ("a number", "123");
        yield return ("cut-off JSON", "{\"a\":");
        yield return ("an array of null", "[null]");
        yield return ("nesting 5,000 deep", new string('[', 5_000) + new string(']', 5_000));
        yield return ("a 3 MB string", "\"" + new string('x', 3 * 1024 * 1024) + "\"");
    }

    /// <summary>Values that break a property of any type.</summary>
    public static IEnumerable<(string What, JsonNode? Value)> BrokenValues(string? type)
    {
        yield return ("null", null);
        yield return ("a NUL character", JsonValue.Create("a\u0000b"));
        yield return ("100,000 characters", JsonValue.Create(Huge));
        yield return ("an empty string", JsonValue.Create(""));
        yield return ("an object", new JsonObject { ["x"] = 1 });
        yield return ("an array of null", new JsonArray((JsonNode?)null));
        yield return ("-1", JsonValue.Create(-1));
        yield return ("1e308", JsonNode.Parse("1e308"));
        yield return ("2^63", JsonNode.Parse("9223372036854775808"));
        yield return ("true", JsonValue.Create(true));
        if (type is "string" or null)
        {
            yield return ("the year 1", JsonValue.Create("0001-01-01T00:00:00Z"));
            yield return ("the year 9999", JsonValue.Create("9999-12-31T23:59:59Z"));
        }
    }

    /// <summary>Query values that break a parameter of any type.</summary>
    public static IEnumerable<string> BrokenQueryValues()
    {
        yield return "";
        yield return "-1";
        yield return "0";
        yield return "99999999999999999999";
        yield return "0001-01-01";
        yield return "9999-12-31T23:59:59Z";
        yield return "not-a-value";
        yield return "[";
        // Long, but within the server's 8 KB request line: what the endpoint makes of it, not what the server does.
        yield return new string('q', 4_000);
    }

    /// <summary>For each property of <paramref name="example"/>'s object (top level, then one level down), the body with it broken.</summary>
    public static IEnumerable<(string What, string Json)> PropertyBodies(ApiRoute route, JsonNode? example)
    {
        if (route.Body is not { } schema || example is not JsonObject)
        {
            yield break;
        }

        foreach (var (name, propertySchema) in route.Schemas.Properties(schema))
        {
            foreach (var (what, value) in BrokenValues(route.Schemas.TypeOf(propertySchema)))
            {
                var body = example.DeepClone().AsObject();
                body[name] = value?.DeepClone();
                yield return ($"{name} = {what}", body.ToJsonString());
            }

            // One level down: each element of a list of objects, each property of a nested object.
            if (example[name] is JsonArray { Count: > 0 } list && list[0] is JsonObject element && route.Schemas.TypeOf(propertySchema) == "array")
            {
                foreach (var inner in element.Select(p => p.Key).ToList())
                {
                    foreach (var (what, value) in BrokenValues(null).Take(6))
                    {
                        var body = example.DeepClone().AsObject();
                        body[name]![0]![inner] = value?.DeepClone();
                        yield return ($"{name}[0].{inner} = {what}", body.ToJsonString());
                    }
                }
            }
        }
    }

    public static StringContent Content(string json) => new(json, Encoding.UTF8, "application/json");

    public static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "…";

    public static bool IsProblem(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("code", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
