namespace SentryFlow.Bench;

// Not top-level statements: their generated Program would clash with the services' Program types.
public static class BenchProgram
{
    private static readonly Dictionary<string, Func<Task>> Benchmarks = new()
    {
        ["identity"] = IdentityBench.RunAsync,
        ["keys"] = KeysBench.RunAsync,
        ["ingest"] = IngestBench.RunAsync,
        ["ratelimit"] = RateLimitBench.RunAsync,
        ["alerting"] = AlertingBench.RunAsync,
        ["analytics"] = AnalyticsBench.RunAsync,
    };

    /// <summary><c>dotnet run -c Release --project bench/SentryFlow.Bench -- &lt;benchmark&gt;</c></summary>
    public static async Task<int> Main(string[] args)
    {
        if (args is [ConstantRateLoad.Command, .. var driverArguments])
        {
            return await ConstantRateLoad.DriveAsync(driverArguments);
        }

        // The fault suite runs the services as processes of their own, not in this one: no runtime settings to match.
        if (args is ["faults", .. var faults])
        {
            return await Faults.FaultSuite.RunAsync(faults);
        }

        if (args is not [var name] || !Benchmarks.TryGetValue(name, out var run))
        {
            Console.Error.WriteLine($"usage: SentryFlow.Bench <{string.Join('|', Benchmarks.Keys)}>, or {Faults.FaultArguments.Usage}");
            return 2;
        }

        // WebApplicationFactory reads MvcTestingAppManifest.json from the current directory (a test runner's is bin/).
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        await run();
        return 0;
    }
}
