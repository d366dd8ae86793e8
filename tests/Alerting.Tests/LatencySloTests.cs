using System.Text.Json;
using SentryFlow.Testing;

namespace SentryFlow.Alerting.Tests;

/// <summary>SLO burn-rate rules with a latency objective: the bad requests are the slow ones, not the 5xx.</summary>
[Collection(AlertingCollection.Name)]
public sealed class LatencySloTests(AlertingHarness harness)
{
    [Fact]
    public async Task A_latency_slo_rule_pages_when_requests_are_slow_and_stays_quiet_when_they_are_fast()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var slowApi = new AlertingApi(harness, Guid.NewGuid());
        var fastApi = new AlertingApi(harness, Guid.NewGuid());
        // 20 % of requests at 450 ms against "99 % under 300 ms" burns the 1 % budget 20x in every window, above 14.4 in
        // both the 1 h and the 5 min window. No 5xx: an availability objective would not burn at all.
        await harness.SendTrafficAsync(slowApi.ProjectId, ok: 80, failed: 0);
        await harness.SendTrafficAsync(slowApi.ProjectId, ok: 20, failed: 0, durationMs: 450);
        // Fast but failing: 5xx and requests just under the threshold are good events for a latency objective.
        await harness.SendTrafficAsync(fastApi.ProjectId, ok: 80, failed: 20);
        await harness.SendTrafficAsync(fastApi.ProjectId, ok: 20, failed: 0, durationMs: 250);

        var slow = await slowApi.CreateRuleAsync(LatencyRule($"{receiver.Url}/slow"));
        var fast = await fastApi.CreateRuleAsync(LatencyRule($"{receiver.Url}/fast"));
        Assert.Equal("latency", slow.GetProperty("objectiveKind").GetString());
        Assert.Equal(300, slow.GetProperty("latencyThresholdMs").GetDouble());
        Assert.Equal("slowCount", slow.GetProperty("metric").GetString());

        var firing = await slowApi.WaitForAlertAsync(slow.GetProperty("id").GetString()!, "firing");
        Assert.Equal(20, firing.GetProperty("value").GetDouble(), 6);
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Any(r => r.Path == "/slow")), "the page arrives");
        var page = receiver.Accepted.Single(r => r.Path == "/slow").Json;
        Assert.Equal("firing", page.GetProperty("status").GetString());
        Assert.Equal("page", page.GetProperty("alerts")[0].GetProperty("labels").GetProperty("severity").GetString());

        // A threshold rule can count the slow requests too.
        var count = await slowApi.CreateRuleAsync(new
        {
            name = "Slow requests", metric = "slowCount", latencyThresholdMs = 300, windowSeconds = 300, condition = ">=", threshold = 20,
        });
        Assert.Equal(20, (await slowApi.WaitForAlertAsync(count.GetProperty("id").GetString()!, "firing")).GetProperty("value").GetDouble());

        // The fast project's rule is evaluated with data (value 0: nothing took 300 ms) and never fires.
        var fastId = fast.GetProperty("id").GetString()!;
        var quiet = await fastApi.WaitForAlertAsync(fastId, "inactive");
        Assert.Equal(0, quiet.GetProperty("value").GetDouble());
        await Task.Delay(AlertingHarness.EvaluationInterval * 3);
        Assert.Equal("inactive", Assert.Single((await fastApi.GetAsync($"alerts?ruleId={fastId}")).EnumerateArray()).GetProperty("state").GetString());
        var dryRun = await fastApi.SendAsync(HttpMethod.Post, $"rules/{fastId}/test");
        Assert.False(dryRun.GetProperty("wouldFire").GetBoolean());
        Assert.DoesNotContain(receiver.Requests, r => r.Path == "/fast");
    }

    [Fact]
    public async Task An_slo_rule_without_an_objective_kind_is_an_availability_objective()
    {
        var api = new AlertingApi(harness, Guid.NewGuid());
        var rule = await api.CreateRuleAsync(new { name = "Availability", kind = "sloBurnRate", objective = 0.999 });

        Assert.Equal("availability", rule.GetProperty("objectiveKind").GetString());
        Assert.Equal(JsonValueKind.Null, rule.GetProperty("latencyThresholdMs").ValueKind);
    }

    private static object LatencyRule(string url) => new
    {
        name = "99 % under 300 ms",
        kind = "sloBurnRate",
        objectiveKind = "latency",
        objective = 0.99,
        latencyThresholdMs = 300,
        severity = "page",
        channels = new[] { new { type = "webhook", url } },
    };
}
