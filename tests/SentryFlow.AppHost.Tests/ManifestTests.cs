using System.Diagnostics;
using System.Text.Json;
using NJsonSchema;
using SentryFlow.Testing;

namespace SentryFlow.AppHost.Tests;

public sealed class ManifestTests
{
    private static readonly string CommittedPath = Path.Combine(Repository.Root, "aspire-manifest.json");

    [Fact]
    public async Task Committed_manifest_is_what_the_publisher_writes()
    {
        var committed = await File.ReadAllTextAsync(CommittedPath);
        string published;
        try
        {
            // The exact command azd runs. Project paths in the manifest are relative to it, so it is written in place.
            await RunPublisherAsync(Repository.Root);
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
        var schema = await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "Schema", "aspire-8.0.schema.json"));

        var errors = schema.Validate(await File.ReadAllTextAsync(CommittedPath));

        Assert.Empty(errors.Select(e => $"{e.Path}: {e.Kind}"));
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

        foreach (var database in (string[])["identitydb", "keysdb", "ratelimitdb", "ingestdb", "analyticsdb", "alertingdb"])
        {
            Assert.Equal("value.v0", TypeOf(database));
        }

        Assert.Equal("parameter.v0", TypeOf("postgres-password"));
        foreach (var service in (string[])["identity", "keys", "ratelimit", "ingest", "analytics", "alerting"])
        {
            Assert.Equal("project.v0", TypeOf(service));
            Assert.True(File.Exists(Path.Combine(Repository.Root, resources.GetProperty(service).GetProperty("path").GetString()!)));
        }

        var keysEnvironment = resources.GetProperty("keys").GetProperty("env");
        Assert.Equal("{keysdb.connectionString}", keysEnvironment.GetProperty("ConnectionStrings__keysdb").GetString());
        Assert.Equal("{messaging.connectionString}", keysEnvironment.GetProperty("ConnectionStrings__messaging").GetString());
        Assert.Equal("{identity.bindings.http.url}", keysEnvironment.GetProperty("services__identity__http__0").GetString());
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
}
