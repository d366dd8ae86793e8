using System.Reflection;
using System.Runtime.InteropServices;
using SentryFlow.Hosting.ApplicationModel;
using SentryFlow.Hosting.Orchestration;
using SentryFlow.Hosting.Publishing;

namespace SentryFlow.Hosting;

/// <summary>The application the AppHost declared: runs it locally, or publishes its manifest.</summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly DistributedApplicationBuilder _builder;
    private Orchestrator? _orchestrator;

    internal DistributedApplication(DistributedApplicationBuilder builder) => _builder = builder;

    public static DistributedApplicationBuilder CreateBuilder(string[] args) =>
        new(DistributedApplicationOptions.Parse(args), DistributedApplicationBuilder.EntryProjectDirectory());

    public IReadOnlyList<Resource> Resources => _builder.Resources;

    /// <summary>Where resource output goes; the test harness keeps it quiet.</summary>
    public ConsoleSink Console { get; init; } = new();

    public T Resource<T>(string name) where T : Resource => Resources.OfType<T>().Single(r => r.Name == name);

    public void Run() => Environment.ExitCode = RunAsync().GetAwaiter().GetResult();

    public async Task<int> RunAsync()
    {
        if (_builder.Options.Publisher == "manifest")
        {
            var path = PublishManifest(_builder.Options.OutputPath ?? Environment.CurrentDirectory);
            System.Console.WriteLine($"Wrote {path}");
            return 0;
        }

        using var hostLock = AcquireHostLock();
        using var stopRequested = new CancellationTokenSource();
        // Ctrl+C and SIGTERM both mean: stop what we started, services first, then leave.
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onHangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);

        var exitCode = 0;
        try
        {
            await StartAsync(stopRequested.Token);
            Console.Plain("\n" + ResourceTable.Render(Resources));
            Console.Plain("All resources are running. Press Ctrl+C to stop.");
        }
        catch (OperationCanceledException)
        {
        }
        catch (InvalidOperationException e)
        {
            exitCode = 1;
            Console.Plain("\n" + ResourceTable.Render(Resources));
            Console.Alert("apphost", e.Message + " The others keep running; press Ctrl+C to stop.");
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stopRequested.Token);
        }
        catch (OperationCanceledException)
        {
        }

        Console.Info("apphost", "stopping: services first, then servers...");
        await StopAsync();
        Console.Info("apphost", "stopped.");
        return exitCode;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopRequested.Cancel();
        }
    }

    /// <summary>Starts every resource and returns once all are running and healthy.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var state = _builder.State;
        if (_builder.Options.Clean)
        {
            state.Clean();
        }

        foreach (var resource in Resources.OfType<ExecutableResource>())
        {
            resource.Allocate(state);
        }

        Console.PrefixWidth = Resources.Max(r => r.Name.Length);
        var context = new RunContext(state, Console, EnvironmentName())
        {
            OtlpEndpoint = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"),
            BuildConfiguration = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug",
        };
        _orchestrator = new Orchestrator(Resources, context);
        await _orchestrator.StartAsync(cancellationToken);
    }

    public async Task StopAsync()
    {
        if (_orchestrator is not null)
        {
            await _orchestrator.StopAsync();
            _orchestrator = null;
        }
    }

    public IReadOnlyList<string> LastLines(Resource resource) => _orchestrator?.LastLines(resource) ?? [];

    /// <summary>Writes <c>aspire-manifest.json</c> into <paramref name="outputDirectory"/> and returns its path.</summary>
    public string PublishManifest(string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        var writer = new ManifestWriter(Path.GetFullPath(outputDirectory));
        foreach (var resource in Resources)
        {
            resource.WriteManifest(writer);
        }

        var path = Path.Combine(outputDirectory, "aspire-manifest.json");
        File.WriteAllText(path, writer.ToJson());
        return path;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static string EnvironmentName() =>
        Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
        ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
        ?? "Development";

    /// <summary>One AppHost per state folder: a second would fight the first over the servers' data.</summary>
    private HostLock AcquireHostLock() => HostLock.Acquire(Path.Combine(_builder.State.Root, "apphost.lock"));
}
