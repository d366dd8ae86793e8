using SentryFlow.Contracts;

namespace SentryFlow.AppHost;

/// <summary>
/// The demo a local run starts with: the sample orders API and a traffic generator that makes a demo user, organization,
/// project, keys, a rate-limit policy and alert rules, then calls the API as five consumers, so the first run shows
/// live traffic, errors, latency percentiles, rate-limit refusals and an alert firing. Switched off with
/// <c>Demo:Enabled=false</c> (<c>dotnet run --project SentryFlow.AppHost -- --Demo:Enabled=false</c>, or the
/// environment variable <c>Demo__Enabled=false</c>); never part of the published manifest.
/// </summary>
internal static class DemoResources
{
    public const string EnabledKey = "Demo:Enabled";

    /// <summary>The demo user's generated password, kept in the state folder's secrets.json.</summary>
    public const string PasswordParameter = "demo-password";

    public static bool IsDemoEnabled(this IDistributedApplicationBuilder builder) =>
        builder.ExecutionContext.IsRunMode && !string.Equals(builder.Configuration[EnabledKey], "false", StringComparison.OrdinalIgnoreCase);

    public static void AddDemo(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<ProjectResource> identity,
        IResourceBuilder<ProjectResource> keys,
        IResourceBuilder<ProjectResource> rateLimit,
        IResourceBuilder<ProjectResource> ingest,
        IResourceBuilder<ProjectResource> alerting)
    {
        var folder = builder.StateFolder("demo");
        // Written by the generator once it has issued the API's ingest key and machine client; read by the API.
        var ordersSettings = Path.Combine(folder, "orders-api.json");

        var orders = builder.AddProject<Projects.Orders_Api>(SentryFlowResources.OrdersApi)
            .AsSentryFlowService()
            .WithReference(identity)
            .WithReference(keys)
            .WithReference(rateLimit)
            .WithReference(ingest)
            .WithEnvironment("Orders__SentryFlowSettingsFile", ordersSettings)
            .WithHttpHealthCheck("/health");

        builder.AddProject<Projects.TrafficGenerator>(SentryFlowResources.TrafficGenerator)
            .AsSentryFlowService()
            .WithReference(identity).WaitFor(identity)
            .WithReference(keys).WaitFor(keys)
            .WithReference(rateLimit).WaitFor(rateLimit)
            .WithReference(alerting).WaitFor(alerting)
            .WithReference(orders)
            .WithEnvironment("Demo__Password", builder.AddGeneratedSecret(PasswordParameter))
            .WithEnvironment("Demo__SecretsFile", Path.Combine(folder, "generator-secrets.json"))
            .WithEnvironment("Demo__OrdersSettingsFile", ordersSettings)
            .WithEnvironment("Demo__OrdersUrl", $"http://{SentryFlowResources.OrdersApi}")
            .WithHttpHealthCheck("/health");
    }
}
