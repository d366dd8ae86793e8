using System.Net.Http.Json;
using System.Text.Json;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Testing;

namespace SentryFlow.Alerting.Tests;

/// <summary>Acknowledgement, PagerDuty and Slack channels, group-by, no data, no traffic, SLO burn rate and the dry run.</summary>
[Collection(AlertingCollection.Name)]
public sealed class LifecycleTests(AlertingHarness harness)
{
    [Fact]
    public async Task An_acknowledged_alert_that_fires_again_notifies_no_one_and_pagerduty_hears_trigger_acknowledge_resolve()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new AlertingApi(harness, Guid.NewGuid());
        var (rule, firing) = await api.FireAsync(new ErrorRateRule("Acked errors",
        [
            new { type = "pagerDuty", url = $"{receiver.Url}/pd", routingKey = "routing-key-1" },
            new { type = "slack", url = $"{receiver.Url}/slack" },
        ]));
        var ruleId = rule.GetProperty("id").GetString()!;
        var alertId = firing.GetProperty("id").GetString()!;
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count == 2), "trigger and slack message arrive");

        var acknowledged = await api.SendAsync(HttpMethod.Post, $"alerts/{alertId}/acknowledge");
        Assert.NotNull(acknowledged.GetProperty("acknowledgedBy").GetString());
        Assert.Equal(JsonValueKind.String, acknowledged.GetProperty("acknowledgedAt").ValueKind);
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count == 3), "PagerDuty hears the acknowledgement");

        // Normal traffic resolves it by itself (4 %), then a burst of errors makes it fire again (~21 %): still acknowledged, so quiet.
        await harness.SendTrafficAsync(api.ProjectId, ok: 400, failed: 0);
        await api.WaitForAlertAsync(ruleId, "resolved");
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count == 5), "PagerDuty resolve and slack resolved arrive");
        await harness.SendTrafficAsync(api.ProjectId, ok: 0, failed: 120);
        await api.WaitForAlertAsync(ruleId, "firing");
        await Task.Delay(AlertingHarness.EvaluationInterval * 4);

        Assert.Equal(5, receiver.Requests.Count);
        var pagerDuty = receiver.Accepted.Where(r => r.Path == "/pd").Select(r => r.Json).ToList();
        Assert.Equal(["trigger", "acknowledge", "resolve"], pagerDuty.Select(e => e.GetProperty("event_action").GetString()));
        Assert.Single(pagerDuty.Select(e => e.GetProperty("dedup_key").GetString()).Distinct());
        Assert.All(pagerDuty, e => Assert.Equal("routing-key-1", e.GetProperty("routing_key").GetString()));
        Assert.Equal("critical", pagerDuty[0].GetProperty("payload").GetProperty("severity").GetString());
        var slack = receiver.Accepted.Where(r => r.Path == "/slack").Select(r => r.Json.GetProperty("text").GetString()!).ToList();
        Assert.Equal(2, slack.Count);
        Assert.Contains("[FIRING] Acked errors", slack[0], StringComparison.Ordinal);
        Assert.Contains("[RESOLVED] Acked errors", slack[1], StringComparison.Ordinal);

        var history = (await api.GetAsync($"alerts/{alertId}")).GetProperty("history").EnumerateArray().ToList();
        Assert.Contains(history, t => t.GetProperty("reason").GetString() == "acknowledged" && t.GetProperty("actor").GetString() is not null);
        Assert.Contains(history, t => t.GetProperty("to").GetString() == "firing" && (t.GetProperty("reason").GetString() ?? "").Contains("not notified", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_user_resolves_a_firing_alert_and_it_fires_again_while_the_rule_still_matches()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new AlertingApi(harness, Guid.NewGuid());
        var (rule, firing) = await api.FireAsync(ErrorRateRule.ToWebhook("Resolved by hand", receiver.Url, "s"));
        var ruleId = rule.GetProperty("id").GetString()!;
        var alertId = firing.GetProperty("id").GetString()!;
        // Receivers that heard it fire hear it resolved (one resolved before its group's first flush is never notified).
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count == 1), "the firing webhook arrives");

        var resolved = await api.SendAsync(HttpMethod.Post, $"alerts/{alertId}/resolve");
        Assert.Equal("resolved", resolved.GetProperty("state").GetString());
        Assert.NotNull(resolved.GetProperty("resolvedBy").GetString());

        await Eventually.TrueAsync(async () =>
            (await api.GetAsync($"alerts/{alertId}")).GetProperty("history").EnumerateArray().Count(t => t.GetProperty("to").GetString() == "firing") == 2,
            "it fires again");
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count == 3), "firing, resolved, firing");
        Assert.Equal(["firing", "resolved", "firing"], receiver.Accepted.Select(r => r.Json.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Grouped_by_route_only_the_failing_route_fires_with_its_route_as_a_label()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new AlertingApi(harness, Guid.NewGuid());
        await harness.SendTrafficAsync(api.ProjectId, ok: 50, failed: 50, route: "/payments/{id}");
        await harness.SendTrafficAsync(api.ProjectId, ok: 100, failed: 0, route: "/orders/{id}");

        var rule = await api.CreateRuleAsync(ErrorRateRule.ToWebhook("Per route", receiver.Url, "s") with { GroupBy = "route" });
        var ruleId = rule.GetProperty("id").GetString()!;
        await api.WaitForAlertAsync(ruleId, "firing", "/payments/{id}");
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count == 1), "the webhook arrives");
        await Task.Delay(AlertingHarness.EvaluationInterval * 3);

        var alert = Assert.Single((await api.GetAsync($"alerts?ruleId={ruleId}")).EnumerateArray());
        Assert.Equal("/payments/{id}", alert.GetProperty("groupKey").GetString());
        Assert.Equal(0.5, alert.GetProperty("value").GetDouble(), 9);
        var labels = Assert.Single(receiver.Accepted).Json.GetProperty("alerts")[0].GetProperty("labels");
        Assert.Equal("/payments/{id}", labels.GetProperty("route").GetString());
    }

    [Fact]
    public async Task Without_traffic_an_error_rate_rule_has_no_data_and_a_no_traffic_rule_fires()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new AlertingApi(harness, Guid.NewGuid());
        var errorRate = await api.CreateRuleAsync(ErrorRateRule.ToWebhook("No data", receiver.Url, "s"));
        var silence = await api.CreateRuleAsync(new
        {
            name = "API went silent",
            kind = "noTraffic",
            windowSeconds = 300,
            threshold = 1,
            channels = new[] { new { type = "webhook", url = $"{receiver.Url}/silent" } },
        });

        await api.WaitForAlertAsync(errorRate.GetProperty("id").GetString()!, "noData");
        var firing = await api.WaitForAlertAsync(silence.GetProperty("id").GetString()!, "firing");
        Assert.Equal(0, firing.GetProperty("value").GetDouble());
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Any(r => r.Path == "/silent")), "the no-traffic webhook arrives");
        Assert.DoesNotContain(receiver.Requests, r => r.Path != "/silent");
    }

    [Fact]
    public async Task An_slo_burn_rate_rule_fires_when_both_windows_burn_fast_and_the_dry_run_says_so()
    {
        var api = new AlertingApi(harness, Guid.NewGuid());
        await harness.SendTrafficAsync(api.ProjectId, ok: 80, failed: 20);
        var burning = await api.CreateRuleAsync(new { name = "Budget burning", kind = "sloBurnRate", objective = 0.99, severity = "page" });
        var relaxed = await api.CreateRuleAsync(new { name = "Loose objective", kind = "sloBurnRate", objective = 0.5, severity = "page" });

        // 20 % 5xx against a 1 % budget burns it 20x in every window: above 14.4 in both the 1 h and the 5 min window.
        var firing = await api.WaitForAlertAsync(burning.GetProperty("id").GetString()!, "firing");
        Assert.Equal(20, firing.GetProperty("value").GetDouble(), 6);
        var dryRun = await api.SendAsync(HttpMethod.Post, $"rules/{relaxed.GetProperty("id").GetString()}/test");
        Assert.False(dryRun.GetProperty("wouldFire").GetBoolean());
        Assert.Equal(0.4, dryRun.GetProperty("value").GetDouble(), 6);
        var burningDryRun = await api.SendAsync(HttpMethod.Post, $"rules/{burning.GetProperty("id").GetString()}/test");
        Assert.True(burningDryRun.GetProperty("wouldFire").GetBoolean());
    }

    [Fact]
    public async Task Silences_are_listed_replaced_and_expired_by_members_and_not_by_viewers()
    {
        var projectId = Guid.NewGuid();
        var api = new AlertingApi(harness, projectId);
        var silence = await api.SendAsync(HttpMethod.Post, "silences", new
        {
            matchers = new[] { new { name = "team", value = "payments", isNegative = false } },
            endsAt = DateTimeOffset.UtcNow.AddHours(1),
        });
        var id = silence.GetProperty("id").GetString()!;
        Assert.True(silence.GetProperty("active").GetBoolean());
        Assert.Single((await api.GetAsync("silences?active=true")).EnumerateArray());

        using var viewer = harness.Client(OrganizationRole.Viewer, projectId);
        using var refused = await viewer.DeleteAsync($"{api.Base}/silences/{id}");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);

        await api.SendAsync(HttpMethod.Delete, $"silences/{id}");
        Assert.Empty((await api.GetAsync("silences?active=true")).EnumerateArray());
        Assert.False((await api.GetAsync($"silences/{id}")).GetProperty("active").GetBoolean());

        using var bad = await viewer.PostAsJsonAsync($"{api.Base}/silences", new { matchers = Array.Empty<object>() });
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, bad.StatusCode);
        using var member = harness.Client(OrganizationRole.Member, projectId);
        using var invalid = await member.PostAsJsonAsync($"{api.Base}/silences", new { matchers = Array.Empty<object>() });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("matchers", out _));
        Assert.True(errors.TryGetProperty("endsAt", out _));
    }
}
