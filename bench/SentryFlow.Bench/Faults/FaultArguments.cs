using System.Globalization;

namespace SentryFlow.Bench.Faults;

/// <summary>One fault of the suite and how long it lasts (the time between its injection and its repair).</summary>
public sealed record FaultStep(string Name, TimeSpan Duration);

/// <summary>What a <c>faults</c> run does: the faults in order, and the steady load it runs under.</summary>
public sealed record FaultPlan(IReadOnlyList<FaultStep> Faults, int RecordsPerSecond);

/// <summary>
/// <c>faults [name[=seconds]]... [--rate=records-per-second]</c>: no names runs every fault in the default order, with
/// the durations issue 19 names (PostgreSQL killed for 60 s, the others 10-20 s); names run those only, in the order
/// given, each with its default duration unless <c>=seconds</c> says otherwise.
/// </summary>
public static class FaultArguments
{
    public const int DefaultRecordsPerSecond = 300;

    public static IReadOnlyList<FaultStep> Defaults { get; } =
    [
        new(FaultNames.RabbitMQKill, TimeSpan.FromSeconds(15)),
        new(FaultNames.RabbitMQPause, TimeSpan.FromSeconds(15)),
        new(FaultNames.PostgresKill, TimeSpan.FromSeconds(60)),
        new(FaultNames.PostgresPause, TimeSpan.FromSeconds(20)),
        new(FaultNames.RedisKill, TimeSpan.FromSeconds(15)),
        new(FaultNames.RedisPause, TimeSpan.FromSeconds(10)),
        new(FaultNames.AnalyticsKill, TimeSpan.FromSeconds(15)),
        new(FaultNames.IngestKill, TimeSpan.FromSeconds(15)),
        new(FaultNames.SystemRestart, TimeSpan.FromSeconds(5)),
    ];

    public static string Usage =>
        $"usage: SentryFlow.Bench faults [name[=seconds]]... [--rate=records-per-second]; names: {string.Join(", ", Defaults.Select(d => d.Name))}";

    /// <exception cref="ArgumentException">An unknown fault, a duration or rate that is not a positive number, or a fault named twice.</exception>
    public static FaultPlan Parse(IReadOnlyList<string> arguments)
    {
        var rate = DefaultRecordsPerSecond;
        var faults = new List<FaultStep>();
        foreach (var argument in arguments)
        {
            if (argument.StartsWith("--rate=", StringComparison.Ordinal))
            {
                rate = PositiveNumber(argument["--rate=".Length..], "--rate");
                continue;
            }

            var (name, seconds) = argument.Split('=', 2) is [var n, var s] ? (n, (string?)s) : (argument, null);
            var known = Defaults.FirstOrDefault(d => d.Name == name)
                ?? throw new ArgumentException($"Unknown fault '{name}'. {Usage}");
            if (faults.Any(f => f.Name == name))
            {
                throw new ArgumentException($"The fault '{name}' is named twice.");
            }

            faults.Add(seconds is null ? known : known with { Duration = TimeSpan.FromSeconds(PositiveNumber(seconds, name)) });
        }

        return new FaultPlan(faults.Count == 0 ? Defaults : faults, rate);
    }

    private static int PositiveNumber(string text, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{what}: '{text}' is not a positive whole number.");
}

/// <summary>The faults the suite knows, by the names the command line uses.</summary>
public static class FaultNames
{
    public const string RabbitMQKill = "rabbitmq-kill";
    public const string RabbitMQPause = "rabbitmq-pause";
    public const string PostgresKill = "postgres-kill";
    public const string PostgresPause = "postgres-pause";
    public const string RedisKill = "redis-kill";
    public const string RedisPause = "redis-pause";
    public const string AnalyticsKill = "analytics-kill";
    public const string IngestKill = "ingest-kill";

    /// <summary>Every service and server stopped (SIGTERM, as an AppHost's stop does) and started again on the same data.</summary>
    public const string SystemRestart = "system-restart";
}
