using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;
using SentryFlow.Contracts;
using SentryFlow.Testing;

namespace SentryFlow.AppHost.Tests;

public sealed class ManifestTests
{
    /// <summary>Where <c>dotnet run --project SentryFlow.AppHost -- --publisher manifest --output-path .</c> writes it (Aspire resolves the path against the AppHost's folder).</summary>
    private static readonly string AppHostDirectory = Path.Combine(Repository.Root, "SentryFlow.AppHost");

    private static readonly string CommittedPath = Path.Combine(AppHostDirectory, "aspire-manifest.json");

    private static readonly string SchemaPath = Path.Combine(AppContext.BaseDirectory, "Schema", "aspire-8.0.schema.json");

    [Fact]
    public async Task Committed_manifest_is_what_the_publisher_writes()
    {
        var committed = await File.ReadAllTextAsync(CommittedPath);
        string published;
        try
        {
            // The command azd runs. Project paths in the manifest are relative to it, so it is written in place.
            await RunPublisherAsync(AppHostDirectory);
            published = await File.ReadAllTextAsync(CommittedPath);
        }
        finally
        {
            await File.WriteAllTextAsync(CommittedPath, committed);
        }

        Assert.Equal(committed, published);
    }

    [Fact]
    public async Task Committed_manifest_is_valid_against_aspire_schema()
    {
        var schema = await JsonSchema.FromJsonAsync(ForNJsonSchema(await File.ReadAllTextAsync(SchemaPath)));

        var errors = schema.Validate(await File.ReadAllTextAsync(CommittedPath));

        Assert.Empty(errors.Select(e => e.ToString()));
    }

    [Fact]
    public async Task Schema_check_rejects_a_container_without_an_image()
    {
        var schema = await JsonSchema.FromJsonAsync(ForNJsonSchema(await File.ReadAllTextAsync(SchemaPath)));

        var errors = schema.Validate("""{ "resources": { "redis": { "type": "container.v0", "connectionString": "x" } } }""");

        Assert.NotEmpty(errors);
    }

    [Fact]
    public async Task Manifest_describes_servers_as_containers_and_services_as_projects()
    {
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(CommittedPath));
        var resources = manifest.RootElement.GetProperty("resources");

        string TypeOf(string name) => resources.GetProperty(name).GetProperty("type").GetString()!;
        foreach (var server in (string[])["postgres", "redis", "messaging"])
        {
            Assert.Equal("container.v0", TypeOf(server));
        }

        foreach (var database in SentryFlowResources.Databases)
        {
            Assert.Equal("value.v0", TypeOf(database));
        }

        Assert.Equal("parameter.v0", TypeOf("postgres-password"));
        Assert.False(resources.TryGetProperty("ingestdb", out _)); // ingest keeps nothing of its own
        foreach (var service in SentryFlowResources.Services)
        {
            Assert.Equal("project.v0", TypeOf(service));
            Assert.True(File.Exists(Path.Combine(AppHostDirectory, resources.GetProperty(service).GetProperty("path").GetString()!)));
        }

        var keysEnvironment = resources.GetProperty("keys").GetProperty("env");
        Assert.Equal("{keysdb.connectionString}", keysEnvironment.GetProperty("ConnectionStrings__keysdb").GetString());
        Assert.Equal("{messaging.connectionString}", keysEnvironment.GetProperty("ConnectionStrings__messaging").GetString());
        Assert.Equal("{identity.bindings.http.url}", keysEnvironment.GetProperty("services__identity__http__0").GetString());

        // WithServiceClient: one generated secret, given to identity (which registers the client) and to the service.
        var identityEnvironment = resources.GetProperty("identity").GetProperty("env");
        foreach (var client in (string[])[SentryFlowResources.Ingest, SentryFlowResources.Alerting])
        {
            Assert.Equal("parameter.v0", TypeOf($"{client}-client-secret"));
            var secret = $"{{{client}-client-secret.value}}";
            Assert.Equal(secret, identityEnvironment.GetProperty($"Identity__ServiceClients__{client}").GetString());
            var clientEnvironment = resources.GetProperty(client).GetProperty("env");
            Assert.Equal(client, clientEnvironment.GetProperty("ServiceClient__Id").GetString());
            Assert.Equal(secret, clientEnvironment.GetProperty("ServiceClient__Secret").GetString());
        }
    }

    private static async Task RunPublisherAsync(string outputPath)
    {
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[Repository.AppHostAssembly, "--publisher", "manifest", "--output-path", outputPath])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output);
    }

    /// <summary>
    /// Rewrites two draft-7 features NJsonSchema lacks into their equivalents: boolean subschemas (Aspire's schema
    /// forbids <c>build</c> on containers with <c>"build": false</c>; <c>false</c> is <c>{"not": {}}</c>, <c>true</c>
    /// is <c>{}</c>), and <c>const</c>, which it ignores, so every resource would match several <c>oneOf</c> branches
    /// (<c>"const": x</c> is <c>"enum": [x]</c>).
    /// </summary>
    private static string ForNJsonSchema(string schemaJson)
    {
        var root = JsonNode.Parse(schemaJson)!;
        Rewrite(root);
        return root.ToJsonString();

        static void Rewrite(JsonNode? node)
        {
            if (node is JsonObject obj)
            {
                if (obj["const"] is { } constant)
                {
                    obj.Remove("const");
                    obj["enum"] = new JsonArray(constant);
                }

                if (obj["properties"] is JsonObject properties)
                {
                    foreach (var name in properties.Select(p => p.Key).ToArray())
                    {
                        if (properties[name] is JsonValue value && value.TryGetValue<bool>(out var allowed))
                        {
                            properties[name] = allowed ? new JsonObject() : new JsonObject { ["not"] = new JsonObject() };
                        }
                    }
                }

                foreach (var child in obj.Select(p => p.Value).ToArray())
                {
                    Rewrite(child);
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var child in array.ToArray())
                {
                    Rewrite(child);
                }
            }
        }
    }
}
