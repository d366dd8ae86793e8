using SentryFlow.Bench.Faults;

namespace SentryFlow.Bench.Tests;

public class FaultTableTests
{
    private static FaultResult Result(string name, FaultTally tally, long? errorMessages = 0, VerifyLatency? verify = null, double? toHealthy = 4.2) => new(
        new FaultStep(name, TimeSpan.FromSeconds(15)),
        tally,
        [new ServiceHealth("analytics", 0.6, 4.0, true, false), new ServiceHealth("ingest", null, null, true, false)],
        toHealthy,
        verify ?? new VerifyLatency(150, 12.34, 40.0, 0, 0),
        errorMessages);

    private static FaultTally Tally(int lost = 0, int duplicated = 0, int serverErrors = 0) => new()
    {
        Sent = 4500, Accepted = 4500, Refused = 1200, RefusedThenAccepted = 1200, Stored = 4500 - lost, Lost = lost, Duplicated = duplicated,
        Posts = new Dictionary<PostOutcome, int> { [PostOutcome.Accepted] = 45, [PostOutcome.Unavailable] = 30, [PostOutcome.ServerError] = serverErrors },
    };

    [Fact]
    public void Renders_a_markdown_row_per_fault_under_a_header()
    {
        var lines = FaultTable.Render([Result("rabbitmq-kill", Tally()), Result("redis-pause", Tally(), errorMessages: null, toHealthy: null)])
            .Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(4, lines.Length);
        Assert.StartsWith("| fault | s | sent | accepted | refused |", lines[0], StringComparison.Ordinal);
        Assert.Equal(lines[0].Count(c => c == '|'), lines[1].Count(c => c == '|'));
        Assert.Equal(
            "| rabbitmq-kill | 15 | 4,500 | 4,500 | 1,200 | 1,200 | 0 | 4,500 | 0 | 0 | 0 | 45/30/0/0/0 | 4.2 | analytics 0.6 | 150 | 12.3 | 40.0 | 0 | 0 |",
            lines[2]);
        Assert.Contains("| not healthy |", lines[3], StringComparison.Ordinal);
        Assert.EndsWith("| unread |", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void A_fault_no_services_health_reported_is_a_finding_but_the_steady_run_needs_none()
    {
        ServiceHealth[] silent = [new("keys", null, null, true, false), new("ingest", null, null, true, false)];

        Assert.Equal(["postgres-pause: no service's /health reported the outage"],
            FaultTable.Findings([Result("postgres-pause", Tally()) with { Health = silent }]));
        Assert.Empty(FaultTable.Findings([Result("steady", Tally()) with { Fault = new FaultStep("steady", TimeSpan.Zero), Health = silent }]));
    }

    [Fact]
    public void A_fault_holds_only_without_losses_or_duplicates()
    {
        Assert.True(Result("a", Tally()).Held);
        Assert.False(Result("a", Tally(lost: 1)).Held);
        Assert.False(Result("a", Tally(duplicated: 1)).Held);
    }

    [Fact]
    public void Findings_name_each_breach_of_the_issues_rules_and_nothing_when_all_held()
    {
        Assert.Empty(FaultTable.Findings([Result("steady", Tally())]));

        var findings = FaultTable.Findings([Result("redis-pause", Tally(lost: 3200, duplicated: 2, serverErrors: 32), errorMessages: 500,
            verify: new VerifyLatency(100, 60, 6000, 7, 5))]);

        Assert.Equal(
            [
                "redis-pause: 3200 records answered 202 were never stored",
                "redis-pause: 2 records were stored more than once",
                "redis-pause: ingest answered 32 posts with a 5xx other than 503",
                "redis-pause: 500 messages in error queues after the drain",
                "redis-pause: 7 verify calls over 50 ms or failed (5 failed)",
            ],
            findings);
    }
}
