using SentryFlow.Hosting.Orchestration;

namespace SentryFlow.Hosting.ApplicationModel;

/// <summary>A resource backed by a local process: a server from Debian's packages or a .NET project.</summary>
public abstract class ExecutableResource(string name) : Resource(name)
{
    /// <summary>The process id once started; survives a hand-over to another process (the test harness).</summary>
    public int? ProcessId { get; internal set; }

    /// <summary>Where the process's console output goes; the orchestrator tails it.</summary>
    public string? LogPath { get; internal set; }

    /// <summary>How long the resource may take from launch to healthy.</summary>
    public virtual TimeSpan StartupTimeout => TimeSpan.FromSeconds(90);

    /// <summary>The signal that asks the process to shut down cleanly.</summary>
    public virtual int StopSignal => ProcessSignals.SIGTERM;

    public virtual TimeSpan StopTimeout => TimeSpan.FromSeconds(20);

    /// <summary>Debian packages this resource needs, by a file each provides.</summary>
    public virtual IReadOnlyList<DebianPackage> RequiredPackages => [];

    /// <summary>Picks the ports (and other per-run names) before anything starts, so references can be resolved up front.</summary>
    internal abstract void Allocate(StateDirectory state);

    /// <summary>Prepares the resource's state (data folders, config files) and says how to launch it.</summary>
    internal abstract Task<ProcessSpec> PrepareAsync(RunContext context, CancellationToken cancellationToken);

    /// <summary>A real readiness probe: null when healthy, otherwise why not.</summary>
    public abstract Task<string?> CheckHealthAsync(CancellationToken cancellationToken);

    /// <summary>Runs once, the first time the resource is healthy (e.g. create the databases).</summary>
    internal virtual Task OnFirstHealthyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops the process (by PID, so it works for a process another run started) and cleans up after it.</summary>
    public async Task StopProcessAsync() => await Task.WhenAll(StopMainProcessAsync(), StopCompanionsAsync());

    private async Task StopMainProcessAsync()
    {
        if (ProcessId is { } pid)
        {
            SetState(ResourceState.Stopping);
            await ProcessSignals.StopAsync(pid, StopSignal, StopTimeout);
            SetState(ResourceState.Finished);
        }
    }

    /// <summary>
    /// Stops what the process starts outside its own tree (e.g. Erlang's epmd daemon). It runs alongside the main
    /// stop, not after it, so every signal goes out at once: a host killed soon after it starts stopping (a test
    /// host at exit) still leaves nothing behind.
    /// </summary>
    internal virtual Task StopCompanionsAsync() => Task.CompletedTask;
}
