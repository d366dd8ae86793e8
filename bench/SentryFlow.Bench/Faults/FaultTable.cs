using System.Globalization;
using System.Text;

namespace SentryFlow.Bench.Faults;

/// <summary>
/// What one fault showed: its records' tally, each service's <c>/health</c>, the seconds from the repair until every
/// service was healthy (null: not within the wait), keys' verify latency over the fault's window, and the messages left
/// in error queues after the drain (null: could not be read).
/// </summary>
public sealed record FaultResult(
    FaultStep Fault,
    FaultTally Tally,
    IReadOnlyList<ServiceHealth> Health,
    double? SecondsToHealthy,
    VerifyLatency Verify,
    long? ErrorQueueMessages)
{
    /// <summary>Nothing accepted was lost and nothing was stored twice: what the exit code says.</summary>
    public bool Held => Tally.Lost == 0 && Tally.Duplicated == 0;
}

/// <summary>The suite's results as a Markdown table (the form bench/RESULTS.md keeps) and the notes under it.</summary>
public static class FaultTable
{
    private static readonly string[] Header =
    [
        "fault", "s", "sent", "accepted", "refused", "refused→accepted", "given up", "stored", "lost", "duplicated",
        "stored unaccepted", "posts 202/503/429/5xx/no answer", "s to healthy", "/health outage seen by (s after injection)",
        "verify calls", "verify p99 ms", "verify max ms", "verify >50 ms", "error-queue msgs",
    ];

    public static string Render(IReadOnlyList<FaultResult> results)
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", Header).AppendLine(" |");
        text.Append('|').AppendJoin("", Header.Select(h => h == "fault" || h.StartsWith("/health", StringComparison.Ordinal) ? " --- |" : " ---: |")).AppendLine();
        foreach (var result in results)
        {
            var tally = result.Tally;
            string Posts(PostOutcome outcome) => tally.Posts.GetValueOrDefault(outcome).ToString(CultureInfo.InvariantCulture);
            string[] cells =
            [
                result.Fault.Name,
                Number(result.Fault.Duration.TotalSeconds),
                Number(tally.Sent),
                Number(tally.Accepted),
                Number(tally.Refused),
                Number(tally.RefusedThenAccepted),
                Number(tally.GivenUp),
                Number(tally.Stored),
                Number(tally.Lost),
                Number(tally.Duplicated),
                Number(tally.StoredUnaccepted),
                $"{Posts(PostOutcome.Accepted)}/{Posts(PostOutcome.Unavailable)}/{Posts(PostOutcome.RateLimited)}/{Posts(PostOutcome.ServerError)}/{Posts(PostOutcome.NoAnswer)}",
                result.SecondsToHealthy is { } seconds ? seconds.ToString("0.0", CultureInfo.InvariantCulture) : "not healthy",
                Outage(result.Health),
                Number(result.Verify.Calls),
                result.Verify.P99Ms.ToString("0.0", CultureInfo.InvariantCulture),
                result.Verify.MaxMs.ToString("0.0", CultureInfo.InvariantCulture),
                Number(result.Verify.OverBound),
                result.ErrorQueueMessages is { } messages ? Number(messages) : "unread",
            ];
            text.Append("| ").AppendJoin(" | ", cells).AppendLine(" |");
        }

        return text.ToString();
    }

    /// <summary>What a reader should not miss: losses, duplicates, 500s, a client error, a hung or unrecovered /health, error queues.</summary>
    public static IReadOnlyList<string> Findings(IReadOnlyList<FaultResult> results)
    {
        var findings = new List<string>();
        foreach (var result in results)
        {
            var (name, tally) = (result.Fault.Name, result.Tally);
            if (tally.Lost > 0)
            {
                findings.Add($"{name}: {tally.Lost} records answered 202 were never stored");
            }

            if (tally.Duplicated > 0)
            {
                findings.Add($"{name}: {tally.Duplicated} records were stored more than once");
            }

            if (tally.Posts.GetValueOrDefault(PostOutcome.ServerError) is > 0 and var errors)
            {
                findings.Add($"{name}: ingest answered {errors} posts with a 5xx other than 503");
            }

            if (tally.Posts.GetValueOrDefault(PostOutcome.ClientError) is > 0 and var refused)
            {
                findings.Add($"{name}: ingest refused {refused} posts with a 4xx (not sent again)");
            }

            if (tally.GivenUp > 0)
            {
                findings.Add($"{name}: the client gave up on {tally.GivenUp} records that were never accepted");
            }

            if (result.Fault.Duration > TimeSpan.Zero && result.Health.All(h => h.OutageAfterSeconds is null))
            {
                findings.Add($"{name}: no service's /health reported the outage");
            }

            foreach (var health in result.Health.Where(h => h.Hung))
            {
                findings.Add($"{name}: {health.Service}'s /health gave no answer within the poll's timeout while it was running");
            }

            foreach (var health in result.Health.Where(h => !h.Recovered))
            {
                findings.Add($"{name}: {health.Service}'s /health was not Healthy at the end");
            }

            if (result.ErrorQueueMessages is > 0)
            {
                findings.Add($"{name}: {result.ErrorQueueMessages} messages in error queues after the drain");
            }

            if (result.Verify.OverBound > 0)
            {
                findings.Add($"{name}: {result.Verify.OverBound} verify calls over {VerifyLatency.BoundMs} ms or failed ({result.Verify.Failed} failed)");
            }
        }

        return findings;
    }

    private static string Outage(IReadOnlyList<ServiceHealth> health)
    {
        var seen = health.Where(h => h.OutageAfterSeconds is not null)
            .Select(h => $"{h.Service} {h.OutageAfterSeconds!.Value.ToString("0.0", CultureInfo.InvariantCulture)}")
            .ToList();
        return seen.Count == 0 ? "none" : string.Join(", ", seen);
    }

    private static string Number(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
