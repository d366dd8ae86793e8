using System.Text.Json;
using SentryFlow.Testing;

namespace SentryFlow.Alerting.Tests;

/// <summary>
/// The judged path, end to end: traffic into the real analytics service, alerting evaluating every second against it,
/// notifications to a real HTTP receiver.
/// </summary>
[Collection(AlertingCollection.Name)]
public sealed class NotificationTests(AlertingHarness harness)
{
    private const string Secret = "whsec-test-0123456789";

    [Fact]
    public async Task Twenty_percent_5xx_goes_pending_then_firing_one_signed_webhook_then_one_resolved()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new AlertingApi(harness, Guid.NewGuid());
        var (rule, firing) = await api.FireAsync(ErrorRateRule.ToWebhook("High error rate", $"{receiver.Url}/hook", Secret) with { ForSeconds = 2 });
        var ruleId = rule.GetProperty("id").GetString()!;
        Assert.Equal(0.2, firing.GetProperty("value").GetDouble(), 9);

        // Pending first, firing once the condition had held for the rule's 2 s.
        var history = (await api.GetAsync($"alerts/{firing.GetProperty("id").GetString()}")).GetProperty("history").EnumerateArray().ToList();
        var pending = history.Single(t => t.GetProperty("to").GetString() == "pending");
        var fired = history.Single(t => t.GetProperty("to").GetString() == "firing");
        Assert.Equal("pending", fired.GetProperty("from").GetString());
        Assert.True(fired.GetProperty("at").GetDateTimeOffset() - pending.GetProperty("at").GetDateTimeOffset() >= TimeSpan.FromSeconds(2));

        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count >= 1), "the firing webhook arrives");
        var firingHook = receiver.Accepted.Single();
        Assert.Equal("/hook", firingHook.Path);
        SignedWebhook.AssertValid(firingHook, Secret);
        AssertAlertmanagerV4(firingHook.Json, "firing", "High error rate");

        // Back to normal: 20 errors in 500 requests is 4 %.
        await harness.SendTrafficAsync(api.ProjectId, ok: 400, failed: 0);
        await api.WaitForAlertAsync(ruleId, "resolved");
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count >= 2), "the resolved webhook arrives");
        await SettleAsync();

        Assert.Equal(2, receiver.Requests.Count);
        var resolvedHook = receiver.Accepted[1];
        SignedWebhook.AssertValid(resolvedHook, Secret);
        AssertAlertmanagerV4(resolvedHook.Json, "resolved", "High error rate");
        Assert.Equal(Fingerprint(firingHook.Json), Fingerprint(resolvedHook.Json));
        Assert.NotEqual(new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero), resolvedHook.Json.GetProperty("alerts")[0].GetProperty("endsAt").GetDateTimeOffset());

        var deliveries = await api.DeliveriesAsync(ruleId);
        Assert.Equal(["resolved", "firing"], deliveries.Select(d => d.GetProperty("event").GetString()));
        Assert.All(deliveries, d => Assert.Equal("delivered", d.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_silenced_rule_fires_but_sends_nothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new AlertingApi(harness, Guid.NewGuid());
        await api.SendAsync(HttpMethod.Post, "silences", new
        {
            matchers = new[] { new { name = "team", value = "quiet" } },
            endsAt = DateTimeOffset.UtcNow.AddHours(1),
            comment = "maintenance",
        });
        var (rule, _) = await api.FireAsync(ErrorRateRule.ToWebhook("Silenced errors", receiver.Url, Secret).ForTeam("quiet"));
        var ruleId = rule.GetProperty("id").GetString()!;
        // Its group's flush records it as silenced (and sends nothing).
        await Eventually.TrueAsync(async () => (await api.DeliveriesAsync(ruleId)).Count > 0, "the flush records the silenced alert");
        await SettleAsync();

        var delivery = Assert.Single(await api.DeliveriesAsync(ruleId));
        Assert.Equal("silenced", delivery.GetProperty("status").GetString());
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_message_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailNext(2);
        var api = new AlertingApi(harness, Guid.NewGuid());
        await harness.SendTrafficAsync(api.ProjectId, ok: 80, failed: 20);

        var rule = await api.CreateRuleAsync(ErrorRateRule.ToWebhook("Flaky receiver", receiver.Url, Secret));
        var ruleId = rule.GetProperty("id").GetString()!;
        var delivered = await Eventually.ValueAsync<JsonElement?>(async () =>
            (await api.DeliveriesAsync(ruleId)).Where(d => d.GetProperty("status").GetString() == "delivered").Select(d => (JsonElement?)d).FirstOrDefault(),
            "the delivery succeeds");
        await SettleAsync();

        Assert.Equal(3, delivered!.Value.GetProperty("attempts").GetInt32());
        Assert.Equal([500, 500, 200], receiver.Requests.Select(r => r.Answered));
        Assert.Single(receiver.Accepted);
        Assert.Single(await api.DeliveriesAsync(ruleId));
    }

    [Fact]
    public async Task Two_alerting_instances_send_one_notification()
    {
        await using var sibling = harness.Sibling();
        sibling.CreateClient().Dispose(); // a second evaluator and dispatcher on the same database
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new AlertingApi(harness, Guid.NewGuid());
        var (rule, _) = await api.FireAsync(ErrorRateRule.ToWebhook("Two instances", receiver.Url, Secret) with { ForSeconds = 1 });
        var ruleId = rule.GetProperty("id").GetString()!;
        await Eventually.TrueAsync(() => Task.FromResult(!receiver.Requests.IsEmpty), "the webhook arrives");
        await SettleAsync();

        Assert.Single(receiver.Requests);
        Assert.Single(await api.DeliveriesAsync(ruleId));
        var alert = await api.GetAsync($"alerts?ruleId={ruleId}");
        var history = (await api.GetAsync($"alerts/{alert[0].GetProperty("id").GetString()}")).GetProperty("history").EnumerateArray();
        Assert.Single(history, t => t.GetProperty("to").GetString() == "firing");
    }

    /// <summary>Several more evaluation rounds, so a duplicate (a second evaluator, a retry) would have had time to arrive.</summary>
    private static Task SettleAsync() => Task.Delay(AlertingHarness.EvaluationInterval * 4);

    private static string Fingerprint(JsonElement body) => body.GetProperty("alerts")[0].GetProperty("fingerprint").GetString()!;

    private static void AssertAlertmanagerV4(JsonElement body, string status, string alertName)
    {
        Assert.Equal("4", body.GetProperty("version").GetString());
        Assert.Equal(status, body.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("groupKey").GetString()));
        Assert.Equal(alertName, body.GetProperty("groupLabels").GetProperty("alertname").GetString());
        var alert = Assert.Single(body.GetProperty("alerts").EnumerateArray());
        Assert.Equal(status, alert.GetProperty("status").GetString());
        Assert.Equal(alertName, alert.GetProperty("labels").GetProperty("alertname").GetString());
        Assert.Equal("payments", alert.GetProperty("labels").GetProperty("team").GetString());
        Assert.Equal("critical", alert.GetProperty("labels").GetProperty("severity").GetString());
        Assert.Equal("https://runbooks.example.com/errors", alert.GetProperty("annotations").GetProperty("runbook").GetString());
        Assert.Equal(16, alert.GetProperty("fingerprint").GetString()!.Length);
        alert.GetProperty("startsAt").GetDateTimeOffset();
        alert.GetProperty("endsAt").GetDateTimeOffset();
        alert.GetProperty("generatorURL").GetString();
    }
}
