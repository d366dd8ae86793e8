namespace SentryFlow.Hosting;

/// <summary>What the AppHost was asked to do, from its command line.</summary>
public sealed record DistributedApplicationOptions
{
    /// <summary><c>--publisher manifest</c>: write the manifest instead of running (the command azd runs).</summary>
    public string? Publisher { get; init; }

    /// <summary><c>--output-path DIR</c>: where the publisher writes <c>aspire-manifest.json</c>.</summary>
    public string? OutputPath { get; init; }

    /// <summary><c>--clean</c>: delete the servers' data and secrets from earlier runs before starting.</summary>
    public bool Clean { get; init; }

    /// <summary><c>--state-dir DIR</c>: the git-ignored state folder; defaults to <c>.state</c> at the solution root.</summary>
    public string? StateDirectory { get; init; }

    public static DistributedApplicationOptions Parse(string[] args)
    {
        var options = new DistributedApplicationOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--publisher" => options with { Publisher = Value() },
                "--output-path" => options with { OutputPath = Value() },
                "--state-dir" => options with { StateDirectory = Value() },
                "--clean" => options with { Clean = true },
                _ => throw new ArgumentException(
                    $"Unknown argument '{args[i]}'. Use --publisher manifest --output-path DIR, --state-dir DIR or --clean."),
            };
        }

        if (options.Publisher is not null and not "manifest")
        {
            throw new ArgumentException($"Unknown publisher '{options.Publisher}': the only one is 'manifest'.");
        }

        return options;
    }
}
