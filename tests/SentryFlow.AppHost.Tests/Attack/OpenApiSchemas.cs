using System.Text.Json;
using System.Text.Json.Nodes;

namespace SentryFlow.AppHost.Tests.Attack;

/// <summary>
/// The schemas of one OpenAPI document (3.0 or 3.1), and a plausible value for each: what a well-meaning client would
/// send. The malformed-input corpus starts from these values and breaks one thing at a time.
/// </summary>
public sealed class OpenApiSchemas(JsonElement document)
{
    private const int MaxDepth = 5;

    /// <summary>A value <paramref name="schema"/> plausibly accepts (a guess: strings are "probe", numbers 1, dates an hour ahead).</summary>
    public JsonNode? Example(JsonElement schema) => Example(schema, 0);

    /// <summary>The object properties of <paramref name="schema"/>, after following references.</summary>
    public IReadOnlyList<(string Name, JsonElement Schema)> Properties(JsonElement schema)
    {
        var resolved = Resolve(schema);
        return resolved.TryGetProperty("properties", out var properties)
            ? properties.EnumerateObject().Select(p => (p.Name, p.Value)).ToList()
            : [];
    }

    /// <summary>The JSON type the schema names ("string", "integer", "array"...), ignoring "null".</summary>
    public string? TypeOf(JsonElement schema)
    {
        var resolved = Resolve(schema);
        if (resolved.TryGetProperty("type", out var type))
        {
            return type.ValueKind == JsonValueKind.Array
                ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
                : type.GetString();
        }

        if (resolved.TryGetProperty("properties", out _))
        {
            return "object";
        }

        return Alternatives(resolved).Select(TypeOf).FirstOrDefault(t => t is not null);
    }

    private JsonNode? Example(JsonElement schema, int depth)
    {
        var resolved = Resolve(schema);
        if (depth > MaxDepth)
        {
            return null;
        }

        if (resolved.TryGetProperty("enum", out var values) && values.EnumerateArray().FirstOrDefault(v => v.ValueKind != JsonValueKind.Null) is { ValueKind: not JsonValueKind.Undefined } first)
        {
            return JsonNode.Parse(first.GetRawText());
        }

        if (Alternatives(resolved).FirstOrDefault(a => TypeOf(a) is not null) is { ValueKind: not JsonValueKind.Undefined } alternative)
        {
            return Example(alternative, depth + 1);
        }

        var format = resolved.TryGetProperty("format", out var f) ? f.GetString() : null;
        return TypeOf(resolved) switch
        {
            "object" => ExampleObject(resolved, depth),
            "array" => new JsonArray(resolved.TryGetProperty("items", out var items) ? Example(items, depth + 1) : JsonValue.Create("probe")),
            "integer" => JsonValue.Create(1),
            "number" => JsonValue.Create(1.0),
            "boolean" => JsonValue.Create(true),
            "string" => format switch
            {
                "date-time" => JsonValue.Create(DateTimeOffset.UtcNow.AddHours(1)),
                "uuid" => JsonValue.Create(Guid.NewGuid()),
                "uri" => JsonValue.Create("http://127.0.0.1:9/probe"),
                "email" => JsonValue.Create($"probe-{Guid.NewGuid():n}@example.test"),
                "date-span" or "duration" => JsonValue.Create("00:01:00"),
                _ => JsonValue.Create("probe"),
            },
            _ => JsonValue.Create("probe"),
        };
    }

    private JsonObject ExampleObject(JsonElement schema, int depth)
    {
        var example = new JsonObject();
        foreach (var (name, property) in Properties(schema))
        {
            example[name] = Example(property, depth + 1);
        }

        return example;
    }

    private static IEnumerable<JsonElement> Alternatives(JsonElement schema) =>
        new[] { "oneOf", "anyOf", "allOf" }
            .Where(key => schema.TryGetProperty(key, out _))
            .SelectMany(key => schema.GetProperty(key).EnumerateArray());

    private JsonElement Resolve(JsonElement schema)
    {
        for (var hops = 0; hops < 10 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference); hops++)
        {
            // "#/components/schemas/CreateKeyRequest"
            var target = document;
            foreach (var segment in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                target = target.GetProperty(segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            }

            schema = target;
        }

        return schema;
    }
}
