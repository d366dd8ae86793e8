using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Identity.Tests;

public sealed class EventsTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private readonly IdentityClient _identity = new(factory);

    [Fact]
    public async Task Identity_changes_reach_the_bus_through_the_outbox()
    {
        Assert.NotNull(factory.Server); // the service (and its bus) first
        var (collector, received) = await EventCollector.StartAsync(factory);
        using var collectorHost = collector;

        var (ownerId, _, owner) = await _identity.NewUserAsync("owner");
        using var organization = await owner.PostAsJsonAsync("/api/organizations", new { name = "Evented" });
        var organizationId = (await organization.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var project = await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/projects", new { name = "P1" });
        var projectId = (await project.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using (await owner.DeleteAsync($"/api/organizations/{organizationId}/projects/{projectId}"))
        {
        }

        await WaitForAsync(received, () =>
            received.OfType<UserRegistered>().Any(e => e.UserId == ownerId)
            && received.OfType<OrganizationCreated>().Any(e => e.OrganizationId == organizationId && e.OwnerId == ownerId)
            && received.OfType<MembershipChanged>().Any(e => e.OrganizationId == organizationId && e.Role == OrganizationRole.Owner)
            && received.OfType<ProjectCreated>().Any(e => e.ProjectId == projectId && e.Name == "P1")
            && received.OfType<ProjectDeleted>().Any(e => e.ProjectId == projectId));
        await collector.StopAsync();
    }

    private static async Task WaitForAsync(ConcurrentQueue<object> received, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Events so far: {string.Join(", ", received)}");
            await Task.Delay(100);
        }
    }
}
