using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SentryFlow.Contracts;

namespace SentryFlow.AppHost.Tests;

/// <summary>
/// The real AppHost started once through Aspire.Hosting.Testing, as <c>dotnet run --project SentryFlow.AppHost</c>
/// would start it (PostgreSQL, Redis and RabbitMQ as local processes, every service a project), with its server data in
/// a fresh temporary state folder, and every service running and healthy before a test starts. Alerting evaluates every
/// 2 s and notifies a new group at once, so a rule fires within seconds. Disposing stops everything and deletes the
/// state folder.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    /// <summary>
    /// From nothing to every service healthy: about a minute on a quiet 2-core machine, but 100-170 s were seen here
    /// with other builds and tests sharing the cores (the services' first start, migrations and JIT, is most of it).
    /// </summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    /// <summary>When set, the file the whole AppHost log is written to once the fixture is disposed (to read a passing run too).</summary>
    public const string LogFileVariable = "SENTRYFLOW_JOURNEY_LOG";

    /// <summary>How often alerting evaluates its rules here (30 s by default).</summary>
    public static readonly TimeSpan EvaluationInterval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, CustomResourceSnapshot> _states = new();
    private readonly ConcurrentQueue<string> _timeline = new();
    private readonly Stopwatch _sinceStart = new();
    private readonly CancellationTokenSource _watching = new();
    private DistributedApplication? _app;
    private Task _watch = Task.CompletedTask;
    private bool _disposed;

    /// <summary>The AppHost's state folder (<c>--state-dir</c>): the servers' data and generated passwords.</summary>
    public string StateDirectory { get; } = Path.Combine(Path.GetTempPath(), $"sentryflow-journey-{Guid.NewGuid():n}");

    /// <summary>The AppHost's log and every resource's console output.</summary>
    public JourneyLog Log { get; } = new();

    /// <summary>How long the start took, to every service healthy.</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>Every resource's moves (state, health) with the seconds since the fixture began: where a start's time went.</summary>
    public string Timeline => string.Join(Environment.NewLine, _timeline);

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    /// <summary>A client of <paramref name="serviceName"/>'s HTTP endpoint (a 127.0.0.1 port DCP picked).</summary>
    public HttpClient CreateHttpClient(string serviceName) => App.CreateHttpClient(serviceName, "http");

    public async Task InitializeAsync()
    {
        _sinceStart.Start();
        // Readable by the postgres user (the servers drop root): otherwise its cluster would go to a folder of that user's.
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(StateDirectory);
        }
        else
        {
            Directory.CreateDirectory(StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SentryFlow_AppHost>(
                // The demo (sample API and traffic generator) is off: the journey makes its own tenant and traffic.
                ["--state-dir", StateDirectory, "--Demo:Enabled=false"], timeout.Token);
            // Into memory only (a failing test prints it), not onto the test run's console.
            builder.Services.AddLogging(logging => logging
                .ClearProviders()
                .AddProvider(Log)
                .AddFilter<JourneyLog>(null, LogLevel.Information)
                .AddFilter<JourneyLog>("Microsoft.AspNetCore", LogLevel.Warning)
                .AddFilter<JourneyLog>("Aspire.Hosting.Dcp", LogLevel.Warning)
                .AddFilter<JourneyLog>("System.Net.Http.HttpClient", LogLevel.Warning)
                .AddFilter<JourneyLog>("Polly", LogLevel.Warning));

            // Evaluate every 2 s, notify a new group at once, retry a failed delivery soon (the settings alerting's own
            // tests run with), and deliver to the journey's webhook receiver on loopback, which alerting refuses unless
            // allowed. The rule's window is minute roll-ups, so the journey's records stay in it long enough.
            var alerting = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == SentryFlowResources.Alerting);
            builder.CreateResourceBuilder(alerting)
                .WithEnvironment("Alerting__EvaluationInterval", EvaluationInterval.ToString())
                .WithEnvironment("Alerting__GroupWait", "00:00:00")
                .WithEnvironment("Alerting__DeliveryRetryDelay", "00:00:00.200")
                .WithEnvironment("Alerting__Destinations__Allow__0", "127.0.0.1");

            // The attack suite registers and throws its corpus at registration too: the per-address throttle (10 a minute,
            // tested in identity's own tests) would otherwise refuse the journey's sign-up run after it.
            var identity = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == SentryFlowResources.Identity);
            builder.CreateResourceBuilder(identity).WithEnvironment("Identity__Throttle__RegisterPerAddressPerMinute", "10000");

            _app = await builder.BuildAsync(timeout.Token);
            Mark("AppHost built");
            _watch = WatchAsync(_app.ResourceNotifications, _watching.Token);
            await _app.StartAsync(timeout.Token);
            Mark("AppHost started (StartAsync returned)");
            foreach (var service in SentryFlowResources.Services)
            {
                await _app.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
            }

            StartDuration = _sinceStart.Elapsed;
            Log.CreateLogger("journey").LogInformation("every service healthy after {Elapsed}", StartDuration);
        }
        catch (Exception e)
        {
            var why = e is OperationCanceledException && timeout.IsCancellationRequested
                ? $"The AppHost did not bring every service to healthy within {StartTimeout}."
                : $"The AppHost failed to start: {e.GetType().Name}: {e.Message}";
            var report = $"{why}{Environment.NewLine}{DescribeResources()}{Environment.NewLine}Timeline:{Environment.NewLine}{Timeline}{Environment.NewLine}" +
                $"Last warnings and errors:{Environment.NewLine}{Log.Tail(80, LogLevel.Warning)}" +
                $"{Environment.NewLine}Last lines:{Environment.NewLine}{Log.Tail(80)}";
            await DisposeAsync();
            throw new InvalidOperationException(report, e);
        }
    }

    /// <summary>Each resource's last known state, health and health reports: what to look at when a start hangs.</summary>
    public string DescribeResources()
    {
        var text = new StringBuilder("Resources:").AppendLine();
        foreach (var (name, snapshot) in _states.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (snapshot.IsHidden)
            {
                continue;
            }

            text.Append($"  {name}: {snapshot.State?.Text ?? "?"}")
                .Append(snapshot.HealthStatus is { } health ? $" ({health})" : "")
                .Append(snapshot.ExitCode is { } exit ? $" exit code {exit}" : "")
                .AppendLine();
            foreach (var report in snapshot.HealthReports)
            {
                text.AppendLine($"    check {report.Name}: {report.Status?.ToString() ?? "not run"} {report.Description} {report.ExceptionText}".TrimEnd());
            }
        }

        return text.ToString();
    }

    /// <summary>Stops the AppHost and deletes the state folder; safe to call twice (a failed start has already called it).</summary>
    public async Task DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_app is { } app)
        {
            _app = null;
            using (var stop = new CancellationTokenSource(StopTimeout))
            {
                try
                {
                    await app.StopAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // DisposeAsync below still tears DCP down (and DCP kills what is left).
                }
            }

            await app.DisposeAsync();
        }

        await _watching.CancelAsync();
        await _watch;
        _watching.Dispose();
        DeleteStateDirectory();
        if (Environment.GetEnvironmentVariable(LogFileVariable) is { Length: > 0 } logFile)
        {
            await File.WriteAllTextAsync(logFile, $"{Timeline}{Environment.NewLine}{Log.Tail(int.MaxValue)}");
        }
    }

    private void Mark(string what) => _timeline.Enqueue($"{_sinceStart.Elapsed.TotalSeconds,6:0.0} s  {what}");

    private async Task WatchAsync(ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        try
        {
            var last = new Dictionary<string, string>();
            await foreach (var update in notifications.WatchAsync(cancellationToken))
            {
                var name = update.Resource.Name;
                _states[name] = update.Snapshot;
                var line = $"{update.Snapshot.State?.Text} {update.Snapshot.HealthStatus}".Trim();
                if (line.Length > 0 && !update.Snapshot.IsHidden && update.Resource is not ParameterResource && last.GetValueOrDefault(name) != line)
                {
                    last[name] = line;
                    Mark($"{name}: {line}");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void DeleteStateDirectory()
    {
        // The servers' last files (PostgreSQL's, owned by its user) may take a moment to be let go of after the stop.
        for (var attempt = 1; Directory.Exists(StateDirectory); attempt++)
        {
            try
            {
                Directory.Delete(StateDirectory, recursive: true);
            }
            catch (Exception e) when ((e is IOException or UnauthorizedAccessException) && attempt < 10)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(500));
            }
        }
    }
}
