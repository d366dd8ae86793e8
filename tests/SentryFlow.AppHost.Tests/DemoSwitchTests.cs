using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using SentryFlow.Contracts;

namespace SentryFlow.AppHost.Tests;

/// <summary>
/// The demo (sample API and traffic generator) is part of a local run unless <c>Demo:Enabled=false</c>; only the model
/// is built here, nothing is started.
/// </summary>
public sealed class DemoSwitchTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), $"sentryflow-demo-switch-{Guid.NewGuid():n}");

    [Fact]
    public async Task A_local_run_has_the_demo_wired_to_the_services()
    {
        var resources = await ModelAsync();

        var orders = Assert.Single(resources.OfType<ProjectResource>(), r => r.Name == SentryFlowResources.OrdersApi);
        var generator = Assert.Single(resources.OfType<ProjectResource>(), r => r.Name == SentryFlowResources.TrafficGenerator);
        Assert.Contains(resources.OfType<ParameterResource>(), p => p.Name == "demo-password" && p.Secret);
        Assert.True(orders.TryGetAnnotationsOfType<ResourceRelationshipAnnotation>(out var ordersRelations));
        Assert.Superset(new HashSet<string> { SentryFlowResources.Keys, SentryFlowResources.RateLimit, SentryFlowResources.Ingest, SentryFlowResources.Identity },
            ordersRelations.Select(r => r.Resource.Name).ToHashSet());
        Assert.True(generator.TryGetAnnotationsOfType<ResourceRelationshipAnnotation>(out var generatorRelations));
        Assert.Superset(new HashSet<string> { SentryFlowResources.Identity, SentryFlowResources.Keys, SentryFlowResources.RateLimit, SentryFlowResources.Alerting, SentryFlowResources.OrdersApi },
            generatorRelations.Select(r => r.Resource.Name).ToHashSet());
    }

    [Fact]
    public async Task Demo_Enabled_false_leaves_the_demo_out()
    {
        var resources = await ModelAsync("--Demo:Enabled=false");

        Assert.DoesNotContain(resources, r => SentryFlowResources.Demo.Contains(r.Name) || r.Name == "demo-password");
        Assert.All(SentryFlowResources.Services, service => Assert.Contains(resources, r => r.Name == service));
    }

    private async Task<IReadOnlyList<IResource>> ModelAsync(params string[] args)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SentryFlow_AppHost>(["--state-dir", _state, .. args]);
        return [.. builder.Resources];
    }

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }
}
