using SentryFlow.Contracts;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Alerting.Tests;

/// <summary>AlertFired, AlertAcknowledged and AlertResolved reach the bus (through the outbox).</summary>
[Collection(AlertingCollection.Name)]
public sealed class AlertEventTests(AlertingHarness harness)
{
    [Fact]
    public async Task Firing_acknowledging_and_resolving_are_published()
    {
        var (host, received) = await AlertEventCollector.StartAsync(harness.Alerting.ConnectionString(SentryFlowResources.Messaging));
        using var _ = host;
        var api = new AlertingApi(harness, Guid.NewGuid());
        var (rule, firing) = await api.FireAsync(new { name = "Evented", metric = "count5xx", windowSeconds = 300, condition = ">=", threshold = 20 });
        var ruleId = Guid.Parse(rule.GetProperty("id").GetString()!);
        var alertId = Guid.Parse(firing.GetProperty("id").GetString()!);
        await api.SendAsync(HttpMethod.Post, $"alerts/{alertId}/acknowledge");
        await api.SendAsync(HttpMethod.Post, $"alerts/{alertId}/resolve");

        await Eventually.TrueAsync(() => Task.FromResult(received.OfType<AlertResolved>().Any(e => e.AlertId == alertId)), "AlertResolved arrives");
        // The first firing (the rule still matches after the manual resolve, so it may have fired again since).
        var fired = received.OfType<AlertFired>().First(e => e.AlertId == alertId);
        Assert.Equal(ruleId, fired.RuleId);
        Assert.Equal(api.ProjectId, fired.ProjectId);
        Assert.Equal(20, fired.Value);
        Assert.Equal("Evented", fired.Labels["alertname"]);
        var acknowledged = Assert.Single(received.OfType<AlertAcknowledged>(), e => e.AlertId == alertId);
        var resolved = Assert.Single(received.OfType<AlertResolved>(), e => e.AlertId == alertId);
        Assert.Equal(acknowledged.AcknowledgedBy, resolved.ResolvedBy);
        await host.StopAsync();
    }
}
