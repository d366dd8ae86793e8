using SentryFlow.Hosting.Orchestration;
using SentryFlow.Hosting.Publishing;

namespace SentryFlow.Hosting.ApplicationModel;

/// <summary>A .NET project of the solution, started from its build output with Aspire's environment.</summary>
public sealed class ProjectResource(string name, string projectPath) : ExecutableResource(name)
{
    private static readonly HttpClient HealthClient = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The absolute path of the .csproj.</summary>
    public string ProjectPath { get; } = Path.GetFullPath(projectPath);

    public int Port { get; internal set; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Variables set with <c>WithEnvironment</c>.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>Variables whose values are parameters (secrets): the value when run, <c>{name.value}</c> in the manifest.</summary>
    public Dictionary<string, ParameterResource> ParameterEnvironment { get; } = [];

    /// <summary>Identifies this run of the service in telemetry (<c>service.instance.id</c>).</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("n")[..12];

    public override IEnumerable<string> Urls => [Url, $"{Url}/openapi/v1.json"];

    public override TimeSpan StopTimeout => TimeSpan.FromSeconds(15);

    internal override void Allocate(StateDirectory state) => Port = FreePort.Next();

    /// <summary>Where <c>dotnet build</c> of the AppHost put this project's assembly: we never build twice.</summary>
    public string AssemblyPath(string configuration) =>
        Path.Combine(Path.GetDirectoryName(ProjectPath)!, "bin", configuration, "net10.0", Path.GetFileNameWithoutExtension(ProjectPath) + ".dll");

    internal override Task<ProcessSpec> PrepareAsync(RunContext context, CancellationToken cancellationToken)
    {
        var assembly = AssemblyPath(context.BuildConfiguration);
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{assembly} is missing: build the AppHost (dotnet build SentryFlow.AppHost), which builds every project.");
        }

        var dotnet = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return Task.FromResult(new ProcessSpec(dotnet, [assembly])
        {
            WorkingDirectory = Path.GetDirectoryName(ProjectPath),
            Environment = BuildEnvironment(context),
        });
    }

    /// <summary>Aspire's conventions: connection strings, service discovery, OpenTelemetry, the URLs to listen on.</summary>
    public Dictionary<string, string> BuildEnvironment(RunContext context)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = Url,
            ["ASPNETCORE_ENVIRONMENT"] = context.EnvironmentName,
            ["DOTNET_ENVIRONMENT"] = context.EnvironmentName,
            ["OTEL_SERVICE_NAME"] = Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={InstanceId}",
        };
        if (!string.IsNullOrEmpty(context.OtlpEndpoint))
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = context.OtlpEndpoint;
        }

        foreach (var reference in References)
        {
            switch (reference)
            {
                case IResourceWithConnectionString withConnectionString:
                    environment[$"ConnectionStrings__{reference.Name}"] = withConnectionString.ConnectionString;
                    break;
                case ProjectResource project:
                    environment[$"services__{project.Name}__http__0"] = project.Url;
                    break;
            }
        }

        foreach (var (key, value) in Environment)
        {
            environment[key] = value;
        }

        foreach (var (key, parameter) in ParameterEnvironment)
        {
            environment[key] = parameter.Value;
        }

        return environment;
    }

    public override async Task<string?> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await HealthClient.GetAsync($"{Url}/health", cancellationToken);
            return response.IsSuccessStatusCode ? null : $"/health answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return e.Message;
        }
    }

    internal override void WriteManifest(ManifestWriter writer)
    {
        var environment = new Dictionary<string, string>
        {
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
            ["HTTP_PORTS"] = $"{{{Name}.bindings.http.targetPort}}",
        };
        foreach (var reference in References)
        {
            switch (reference)
            {
                case IResourceWithConnectionString:
                    environment[$"ConnectionStrings__{reference.Name}"] = $"{{{reference.Name}.connectionString}}";
                    break;
                case ProjectResource project:
                    environment[$"services__{project.Name}__http__0"] = $"{{{project.Name}.bindings.http.url}}";
                    break;
            }
        }

        foreach (var (key, value) in Environment)
        {
            environment[key] = value;
        }

        foreach (var (key, parameter) in ParameterEnvironment)
        {
            environment[key] = $"{{{parameter.Name}.value}}";
        }

        writer.WriteProject(Name, ProjectPath, environment);
    }
}
