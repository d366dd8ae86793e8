namespace SentryFlow.Hosting.ApplicationModel;

/// <summary>A named part of the distributed application: a server, a database, a parameter or a project.</summary>
public abstract class Resource(string name)
{
    public string Name { get; } = name;

    /// <summary>Resources that must be running and healthy before this one starts (<c>WaitFor</c>).</summary>
    public List<Resource> WaitsFor { get; } = [];

    /// <summary>Resources whose connection information is injected into this one (<c>WithReference</c>).</summary>
    public List<Resource> References { get; } = [];

    public ResourceState State { get; private set; } = ResourceState.NotStarted;

    /// <summary>Why the resource is in its state, when that is worth saying (a failed probe, an exit code).</summary>
    public string? StateReason { get; private set; }

    public event Action<Resource, ResourceState, ResourceState>? StateChanged;

    /// <summary>URLs a person can use to reach the resource, for the resource table.</summary>
    public virtual IEnumerable<string> Urls => [];

    /// <summary>Completes once the resource is running and healthy; faults when it cannot get there.</summary>
    internal TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task WhenReady => Ready.Task;

    internal void SetState(ResourceState state, string? reason = null)
    {
        var previous = State;
        State = state;
        StateReason = reason;
        if (previous != state)
        {
            StateChanged?.Invoke(this, previous, state);
        }
    }

    /// <summary>Writes this resource's entry of the Aspire manifest.</summary>
    internal abstract void WriteManifest(Publishing.ManifestWriter writer);
}
