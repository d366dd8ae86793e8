using System.Collections.Concurrent;
using System.Diagnostics;
using SentryFlow.Hosting.ApplicationModel;
using SentryFlow.Hosting.Servers;

namespace SentryFlow.Hosting.Orchestration;

/// <summary>
/// Runs the application model: starts each resource once what it waits for is running and healthy, probes it
/// until it is healthy, keeps watching it (exit, health), and stops everything, projects first, then servers.
/// </summary>
public sealed class Orchestrator(IReadOnlyList<Resource> resources, RunContext context)
{
    private static readonly TimeSpan HealthInterval = TimeSpan.FromSeconds(3);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _stopped = new();
    private readonly ConcurrentDictionary<Resource, LogTail> _tails = new();
    private readonly ConcurrentDictionary<Resource, Process> _processes = new();
    private readonly List<Task> _background = [];

    private IEnumerable<ExecutableResource> Executables => resources.OfType<ExecutableResource>();

    /// <summary>The last console lines of a resource, for failure reports.</summary>
    public IReadOnlyList<string> LastLines(Resource resource) => _tails.TryGetValue(resource, out var tail) ? tail.LastLines : [];

    /// <summary>Starts every resource; completes when all are healthy, throws when any could not get there.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await DebianPackages.EnsureInstalledAsync(Executables.SelectMany(r => r.RequiredPackages),
            message => context.Console.Info("apphost", message), cancellationToken);

        foreach (var resource in resources.Where(r => r.WaitsFor.Count > 0))
        {
            resource.SetState(ResourceState.Waiting);
        }

        var starts = resources.Select(resource => resource switch
        {
            ExecutableResource executable => Task.Run(() => RunAsync(executable, cancellationToken), cancellationToken),
            PostgresDatabaseResource database => FollowParentAsync(database),
            _ => Task.CompletedTask,
        }).ToArray();
        await Task.WhenAll(starts);

        var failed = resources.Where(r => r.WhenReady.IsFaulted).Select(r => r.Name).ToArray();
        if (failed.Length > 0)
        {
            throw new InvalidOperationException($"Resources that did not start: {string.Join(", ", failed)}.");
        }
    }

    private async Task FollowParentAsync(PostgresDatabaseResource database)
    {
        try
        {
            await database.Parent.WhenReady;
            database.SetState(ResourceState.Running);
            database.Ready.TrySetResult();
        }
        catch (Exception e)
        {
            database.SetState(ResourceState.FailedToStart, $"server {database.Parent.Name} failed");
            database.Ready.TrySetException(e);
        }
    }

    private async Task RunAsync(ExecutableResource resource, CancellationToken cancellationToken)
    {
        foreach (var dependency in resource.WaitsFor)
        {
            try
            {
                await dependency.WhenReady.WaitAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Fail(resource, $"it waits for {dependency.Name}, which did not start");
                return;
            }
        }

        resource.SetState(ResourceState.Starting);
        Process process;
        try
        {
            await StopStaleAsync(resource);
            var spec = await resource.PrepareAsync(context, cancellationToken);
            var logPath = LogPath(resource);
            resource.LogPath = logPath;
            File.WriteAllText(logPath, "");
            var tail = new LogTail(logPath, line => context.Console.ResourceLine(resource.Name, line));
            _tails[resource] = tail;
            _background.Add(tail.FollowAsync(_stopped.Token));
            process = LocalProcess.Start(spec, logPath);
            _processes[resource] = process;
            resource.ProcessId = process.Id;
            await File.WriteAllTextAsync(PidFile(resource), process.Id.ToString(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fail(resource, e.Message);
            return;
        }

        var deadline = DateTime.UtcNow + resource.StartupTimeout;
        while (true)
        {
            if (process.HasExited)
            {
                await Task.Delay(300, CancellationToken.None); // let the tail catch the last words
                Fail(resource, $"exited with code {process.ExitCode} while starting");
                return;
            }

            var reason = await resource.CheckHealthAsync(cancellationToken);
            if (reason is null)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                Fail(resource, $"not healthy after {resource.StartupTimeout.TotalSeconds:0} s: {reason}");
                await StopAsync(resource);
                return;
            }

            await Task.Delay(250, cancellationToken);
        }

        try
        {
            await resource.OnFirstHealthyAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fail(resource, e.Message);
            return;
        }

        resource.SetState(ResourceState.Running);
        resource.Ready.TrySetResult();
        _background.Add(WatchExitAsync(resource, process));
        _background.Add(WatchHealthAsync(resource));
    }

    private void Fail(ExecutableResource resource, string reason)
    {
        resource.SetState(ResourceState.FailedToStart, reason);
        resource.Ready.TrySetException(new InvalidOperationException($"{resource.Name}: {reason}"));
        Report(resource, $"FAILED TO START: {reason}");
    }

    /// <summary>Says loudly what went wrong, with the resource's last lines.</summary>
    private void Report(Resource resource, string headline)
    {
        context.Console.Alert(resource.Name, $"!!! {resource.Name} {headline}");
        var lines = LastLines(resource);
        if (lines.Count > 0)
        {
            context.Console.Alert(resource.Name, $"!!! last {lines.Count} lines of {resource.Name}:");
            foreach (var line in lines)
            {
                context.Console.Alert(resource.Name, "    " + line);
            }
        }
    }

    private async Task WatchExitAsync(ExecutableResource resource, Process process)
    {
        await process.WaitForExitAsync(CancellationToken.None);
        // Stopped on purpose: by the orchestrator, or directly through the resource (the test harness's last user).
        if (_stopping.IsCancellationRequested || resource.State is ResourceState.Stopping or ResourceState.Finished)
        {
            return;
        }

        await Task.Delay(300, CancellationToken.None);
        resource.SetState(ResourceState.Exited, $"exit code {process.ExitCode}");
        Report(resource, $"EXITED unexpectedly with code {process.ExitCode}");
    }

    private async Task WatchHealthAsync(ExecutableResource resource)
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(HealthInterval, _stopping.Token);
                if (resource.State is not (ResourceState.Running or ResourceState.Unhealthy))
                {
                    return;
                }

                var reason = await resource.CheckHealthAsync(_stopping.Token);
                if (reason is not null && resource.State == ResourceState.Running)
                {
                    resource.SetState(ResourceState.Unhealthy, reason);
                    Report(resource, $"is UNHEALTHY: {reason}");
                }
                else if (reason is null && resource.State == ResourceState.Unhealthy)
                {
                    resource.SetState(ResourceState.Running);
                    context.Console.Info(resource.Name, $"{resource.Name} is healthy again");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stops everything that was started: the projects first, then the servers they use.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(Executables.OfType<ProjectResource>().Select(StopAsync));
        await Task.WhenAll(Executables.Where(r => r is not ProjectResource).Select(StopAsync));
        // The tails run on until the processes are gone, so their last words are shown.
        await _stopped.CancelAsync();
        await Task.WhenAll(_background);
    }

    private async Task StopAsync(ExecutableResource resource)
    {
        await resource.StopProcessAsync();
        File.Delete(PidFile(resource));
    }

    private string LogPath(Resource resource) => Path.Combine(context.State.For("logs"), $"{resource.Name}.log");

    private string PidFile(Resource resource) => Path.Combine(context.State.For(resource.Name), "process.pid");

    /// <summary>A process of an earlier run that was killed before it could stop its children is stopped now.</summary>
    private async Task StopStaleAsync(ExecutableResource resource)
    {
        var pidFile = PidFile(resource);
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile), out var stale) && ProcessSignals.IsAlive(stale)
            && ProcessSignals.HasEnvironmentEntry(stale, $"{LocalProcess.LogVariable}={LogPath(resource)}"))
        {
            context.Console.Info(resource.Name, $"stopping process {stale} left by an earlier run");
            await ProcessSignals.StopAsync(stale, resource.StopSignal, resource.StopTimeout);
        }

        await resource.StopCompanionsAsync();
    }
}
