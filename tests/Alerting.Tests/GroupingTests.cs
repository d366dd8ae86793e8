using System.Text.Json;
using SentryFlow.Testing;

namespace SentryFlow.Alerting.Tests;

/// <summary>Alertmanager's grouping: group wait, group interval and repeat interval, one webhook per flush.</summary>
[Collection(AlertingCollection.Name)]
public sealed class GroupingTests(AlertingHarness harness)
{
    private const int GroupWaitSeconds = 8;
    private const int GroupIntervalSeconds = 4;

    [Fact]
    public async Task Route_instances_firing_within_the_group_wait_arrive_as_one_webhook_a_later_one_and_a_resolved_one_after_the_group_interval()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new AlertingApi(harness, Guid.NewGuid());
        await harness.SendTrafficAsync(api.ProjectId, ok: 50, failed: 50, route: "/a/{id}");
        var rule = await api.CreateRuleAsync(GroupedRule(receiver.Url, repeatIntervalSeconds: 3600));
        var ruleId = rule.GetProperty("id").GetString()!;

        // The first instance starts the group; two more fire while it waits.
        var first = await api.WaitForAlertAsync(ruleId, "firing", "/a/{id}");
        await harness.SendTrafficAsync(api.ProjectId, ok: 50, failed: 50, route: "/b/{id}");
        await harness.SendTrafficAsync(api.ProjectId, ok: 50, failed: 50, route: "/c/{id}");
        await api.WaitForAlertAsync(ruleId, "firing", "/b/{id}");
        await api.WaitForAlertAsync(ruleId, "firing", "/c/{id}");
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count >= 1), "the group's first webhook arrives");

        var hook = Assert.Single(receiver.Accepted).Json;
        Assert.Equal("firing", hook.GetProperty("status").GetString());
        Assert.Equal(["/a/{id}", "/b/{id}", "/c/{id}"], Routes(hook, "firing"));
        var groupLabels = hook.GetProperty("groupLabels");
        Assert.Equal(["alertname", "project_id", "rule_id"], groupLabels.EnumerateObject().Select(l => l.Name).Order());
        Assert.Equal(ruleId, groupLabels.GetProperty("rule_id").GetString());
        Assert.Contains($"rule_id=\"{ruleId}\"", hook.GetProperty("groupKey").GetString(), StringComparison.Ordinal);
        var common = hook.GetProperty("commonLabels");
        Assert.Equal("payments", common.GetProperty("team").GetString());
        Assert.False(common.TryGetProperty("route", out _)); // it differs between the alerts
        Assert.Equal("https://runbooks.example.com/errors", hook.GetProperty("commonAnnotations").GetProperty("runbook").GetString());
        var firstSent = Assert.Single(await api.DeliveriesAsync(ruleId)).GetProperty("createdAt").GetDateTimeOffset();
        Assert.True(firstSent - first.GetProperty("firedAt").GetDateTimeOffset() >= TimeSpan.FromSeconds(GroupWaitSeconds), "sent before the group wait");

        // A fourth instance joins the notified group: one more webhook, a group interval after the first, with all four.
        await harness.SendTrafficAsync(api.ProjectId, ok: 50, failed: 50, route: "/d/{id}");
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count >= 2), "the webhook with the new instance arrives");
        var joined = receiver.Accepted[1].Json;
        Assert.Equal(["/a/{id}", "/b/{id}", "/c/{id}", "/d/{id}"], Routes(joined, "firing"));
        Assert.Equal(hook.GetProperty("groupKey").GetString(), joined.GetProperty("groupKey").GetString());

        // /a/{id} recovers (50 errors in 600 requests): reported resolved, next to the three still firing.
        await harness.SendTrafficAsync(api.ProjectId, ok: 500, failed: 0, route: "/a/{id}");
        await api.WaitForAlertAsync(ruleId, "resolved", "/a/{id}");
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count >= 3), "the webhook with the resolved instance arrives");
        var resolved = receiver.Accepted[2].Json;
        Assert.Equal("firing", resolved.GetProperty("status").GetString());
        Assert.Equal(["/a/{id}"], Routes(resolved, "resolved"));
        Assert.Equal(["/b/{id}", "/c/{id}", "/d/{id}"], Routes(resolved, "firing"));
        var ended = resolved.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("status").GetString() == "resolved");
        Assert.True(ended.GetProperty("endsAt").GetDateTimeOffset() > ended.GetProperty("startsAt").GetDateTimeOffset());
        await Task.Delay(TimeSpan.FromSeconds(GroupIntervalSeconds + 1));

        Assert.Equal(3, receiver.Requests.Count);
        var sent = (await api.DeliveriesAsync(ruleId)).Select(d => d.GetProperty("createdAt").GetDateTimeOffset()).Order().ToList();
        Assert.Equal(3, sent.Count);
        Assert.All(sent.Zip(sent.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(GroupIntervalSeconds), "sent within the group interval"));
    }

    [Fact]
    public async Task An_unchanged_firing_group_is_sent_again_after_the_repeat_interval()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new AlertingApi(harness, Guid.NewGuid());
        var (rule, _) = await api.FireAsync(ErrorRateRule.ToWebhook("Repeated", receiver.Url) with
        {
            GroupWaitSeconds = 0, GroupIntervalSeconds = 1, RepeatIntervalSeconds = 3,
        });
        var ruleId = rule.GetProperty("id").GetString()!;
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count >= 2), "the repeat arrives");

        var (first, repeat) = (receiver.Accepted[0].Json, receiver.Accepted[1].Json);
        Assert.Equal("firing", repeat.GetProperty("status").GetString());
        var alert = Assert.Single(repeat.GetProperty("alerts").EnumerateArray());
        Assert.Equal(first.GetProperty("alerts")[0].GetProperty("fingerprint").GetString(), alert.GetProperty("fingerprint").GetString());
        Assert.Equal(first.GetProperty("alerts")[0].GetProperty("startsAt").GetDateTimeOffset(), alert.GetProperty("startsAt").GetDateTimeOffset());
        var sent = (await api.DeliveriesAsync(ruleId)).Select(d => d.GetProperty("createdAt").GetDateTimeOffset()).Order().ToList();
        Assert.True(sent[1] - sent[0] >= TimeSpan.FromSeconds(3), "repeated before the repeat interval");
    }

    private static ErrorRateRule GroupedRule(string url, int repeatIntervalSeconds) => ErrorRateRule.ToWebhook("Errors per route", url) with
    {
        GroupBy = "route",
        GroupWaitSeconds = GroupWaitSeconds,
        GroupIntervalSeconds = GroupIntervalSeconds,
        RepeatIntervalSeconds = repeatIntervalSeconds,
    };

    private static List<string> Routes(JsonElement hook, string status) =>
        [.. hook.GetProperty("alerts").EnumerateArray()
            .Where(a => a.GetProperty("status").GetString() == status)
            .Select(a => a.GetProperty("labels").GetProperty("route").GetString()!)
            .Order(StringComparer.Ordinal)];
}
