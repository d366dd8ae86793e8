namespace SentryFlow.Alerting.Tests;

/// <summary>Rules are evaluated at multiples of the evaluation interval (as Prometheus' rule groups), whenever they were created.</summary>
[Collection(AlertingCollection.Name)]
public sealed class ScheduleTests(AlertingHarness harness)
{
    [Fact]
    public async Task Every_rule_is_evaluated_at_multiples_of_the_interval_not_at_its_creation_time_plus_multiples()
    {
        var api = new AlertingApi(harness, Guid.NewGuid());
        await harness.SendTrafficAsync(api.ProjectId, ok: 80, failed: 20);
        var first = await api.CreateRuleAsync(new ErrorRateRule("Aligned A", []) with { ForSeconds = 1 });
        await Task.Delay(TimeSpan.FromMilliseconds(370)); // the second rule is created at another fraction of a second
        var second = await api.CreateRuleAsync(new ErrorRateRule("Aligned B", []) with { ForSeconds = 1 });

        foreach (var rule in new[] { first, second })
        {
            var alert = await api.WaitForAlertAsync(rule.GetProperty("id").GetString()!, "firing");
            var history = (await api.GetAsync($"alerts/{alert.GetProperty("id").GetString()}")).GetProperty("history").EnumerateArray()
                .Select(t => t.GetProperty("at").GetDateTimeOffset()).ToList();
            Assert.NotEmpty(history);
            // The harness evaluates every second: each evaluation is at a whole second, and none before the rule existed.
            Assert.All(history, at => Assert.Equal(0, (at - DateTimeOffset.UnixEpoch).Ticks % AlertingHarness.EvaluationInterval.Ticks));
            Assert.All(history, at => Assert.True(at >= rule.GetProperty("createdAt").GetDateTimeOffset()));
        }
    }
}
