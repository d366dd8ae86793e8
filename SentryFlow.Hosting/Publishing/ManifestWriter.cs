using System.Text.Json;
using System.Text.Json.Nodes;

namespace SentryFlow.Hosting.Publishing;

/// <summary>
/// Builds Aspire's deployment manifest (schema aspire-8.0). Local servers are written as <c>container.v0</c>
/// with Aspire's usual images, because deployment targets take containers and azd refuses <c>executable.v0</c>.
/// </summary>
public sealed class ManifestWriter(string manifestDirectory)
{
    private readonly JsonObject _resources = [];

    public void WriteContainer(string name, string image, string connectionString, string scheme, string transport, int targetPort,
        Dictionary<string, string> environment, string volumeTarget, string? entrypoint = null, string[]? args = null, string? uriEncodedParameter = null)
    {
        var resource = new JsonObject
        {
            ["type"] = "container.v0",
            ["connectionString"] = connectionString,
            ["image"] = image,
        };
        if (entrypoint is not null)
        {
            resource["entrypoint"] = entrypoint;
        }

        if (args is not null)
        {
            resource["args"] = new JsonArray([.. args.Select(a => JsonValue.Create(a))]);
        }

        resource["volumes"] = new JsonArray(new JsonObject
        {
            ["name"] = $"sentryflow.apphost-{name}-data",
            ["target"] = volumeTarget,
            ["readOnly"] = false,
        });
        resource["env"] = ToObject(environment);
        resource["bindings"] = new JsonObject
        {
            ["tcp"] = new JsonObject
            {
                ["scheme"] = scheme,
                ["protocol"] = "tcp",
                ["transport"] = transport,
                ["targetPort"] = targetPort,
            },
        };
        _resources[name] = resource;

        if (uriEncodedParameter is not null)
        {
            _resources[$"{uriEncodedParameter}-uri-encoded"] = new JsonObject
            {
                ["type"] = "annotated.string",
                ["value"] = $"{{{uriEncodedParameter}.value}}",
                ["filter"] = "uri",
            };
        }
    }

    public void WriteValue(string name, string connectionString) =>
        _resources[name] = new JsonObject { ["type"] = "value.v0", ["connectionString"] = connectionString };

    public void WriteParameter(string name, bool secret, int generatedLength) =>
        _resources[name] = new JsonObject
        {
            ["type"] = "parameter.v0",
            ["value"] = $"{{{name}.inputs.value}}",
            ["inputs"] = new JsonObject
            {
                ["value"] = new JsonObject
                {
                    ["type"] = "string",
                    ["secret"] = secret,
                    ["default"] = new JsonObject
                    {
                        ["generate"] = new JsonObject { ["minLength"] = generatedLength, ["special"] = false },
                    },
                },
            },
        };

    public void WriteProject(string name, string projectPath, Dictionary<string, string> environment) =>
        _resources[name] = new JsonObject
        {
            ["type"] = "project.v0",
            // Relative to the manifest, with forward slashes, as Aspire writes it.
            ["path"] = Path.GetRelativePath(manifestDirectory, projectPath).Replace('\\', '/'),
            ["env"] = ToObject(environment),
            ["bindings"] = new JsonObject
            {
                ["http"] = new JsonObject { ["scheme"] = "http", ["protocol"] = "tcp", ["transport"] = "http" },
            },
        };

    public string ToJson()
    {
        var manifest = new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/aspire-8.0.json",
            ["resources"] = _resources,
        };
        return manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static JsonObject ToObject(Dictionary<string, string> values)
    {
        var result = new JsonObject();
        foreach (var (key, value) in values)
        {
            result[key] = value;
        }

        return result;
    }
}
