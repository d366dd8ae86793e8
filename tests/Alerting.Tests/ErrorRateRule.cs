namespace SentryFlow.Alerting.Tests;

/// <summary>
/// The rule most tests fire: more than 10 % errors over 5 minutes, which the 20 % 5xx that
/// <see cref="AlertingApi.FireAsync"/> sends makes match. Serialized as the rule request; tests vary it with <c>with</c>.
/// </summary>
public sealed record ErrorRateRule(string Name, object[] Channels)
{
    public string Metric { get; init; } = "errorRate";

    public int WindowSeconds { get; init; } = 300;

    public string Condition { get; init; } = ">";

    public double Threshold { get; init; } = 0.1;

    public int ForSeconds { get; init; }

    public string? GroupBy { get; init; }

    public string Severity { get; init; } = "critical";

    public Dictionary<string, string> Labels { get; init; } = new() { ["team"] = "payments" };

    public Dictionary<string, string> Annotations { get; init; } = new() { ["runbook"] = "https://runbooks.example.com/errors" };

    public int? GroupWaitSeconds { get; init; }

    public int? GroupIntervalSeconds { get; init; }

    public int? RepeatIntervalSeconds { get; init; }

    /// <summary>The rule with one webhook channel, signed when <paramref name="secret"/> is given.</summary>
    public static ErrorRateRule ToWebhook(string name, string url, string? secret = null) => new(name, [new { type = "webhook", url, secret }]);

    /// <summary>The rule with the team label <paramref name="team"/> (silences match on it).</summary>
    public ErrorRateRule ForTeam(string team) => this with { Labels = new() { ["team"] = team } };
}
