using System.Text.Json;
using SentryFlow.Testing;

namespace SentryFlow.Alerting.Tests;

/// <summary>Deleting a rule or changing its channels cancels what it had not sent yet.</summary>
[Collection(AlertingCollection.Name)]
public sealed class DeliveryCancellationTests(AlertingHarness harness)
{
    [Fact]
    public async Task Deleting_a_rule_cancels_its_pending_deliveries()
    {
        var (api, ruleId, receiver) = await PendingDeliveryAsync("Deleted while retrying");
        await using var _ = receiver;

        await api.SendAsync(HttpMethod.Delete, $"rules/{ruleId}");

        var delivery = Assert.Single(await api.DeliveriesAsync(ruleId));
        Assert.Equal("cancelled", delivery.GetProperty("status").GetString());
        Assert.Equal("Cancelled: the rule was deleted.", delivery.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task Changing_a_rules_channels_cancels_its_pending_deliveries_and_an_unchanged_replace_keeps_them()
    {
        var (api, ruleId, receiver) = await PendingDeliveryAsync("Rerouted while retrying");
        await using (receiver)
        {
            var same = ErrorRateRule.ToWebhook("Rerouted while retrying", $"{receiver.Url}/hook");
            await api.SendAsync(HttpMethod.Put, $"rules/{ruleId}", same with { Threshold = 0.15 });
            Assert.Equal("pending", Assert.Single(await api.DeliveriesAsync(ruleId)).GetProperty("status").GetString());

            await api.SendAsync(HttpMethod.Put, $"rules/{ruleId}", ErrorRateRule.ToWebhook("Rerouted while retrying", $"{receiver.Url}/elsewhere"));

            var cancelled = (await api.DeliveriesAsync(ruleId)).Single(d => d.GetProperty("url").GetString()!.EndsWith("/hook", StringComparison.Ordinal));
            Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
            Assert.Equal("Cancelled: the rule's channels changed.", cancelled.GetProperty("lastError").GetString());
        }
    }

    /// <summary>A firing rule whose receiver keeps failing: after its first round its delivery waits 30 s for the next.</summary>
    private async Task<(AlertingApi Api, string RuleId, WebhookReceiver Receiver)> PendingDeliveryAsync(string name)
    {
        var receiver = await WebhookReceiver.StartAsync();
        receiver.FailNext(1000);
        var api = new AlertingApi(harness, Guid.NewGuid());
        var (rule, _) = await api.FireAsync(ErrorRateRule.ToWebhook(name, $"{receiver.Url}/hook"));
        var ruleId = rule.GetProperty("id").GetString()!;
        await Eventually.TrueAsync(async () => (await api.DeliveriesAsync(ruleId)).Any(d =>
            d.GetProperty("status").GetString() == "pending" && d.GetProperty("lastError").ValueKind == JsonValueKind.String), "the first round fails");
        return (api, ruleId, receiver);
    }
}
