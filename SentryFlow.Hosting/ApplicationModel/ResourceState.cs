namespace SentryFlow.Hosting.ApplicationModel;

/// <summary>The lifecycle states of a resource, named as Aspire names them.</summary>
public enum ResourceState
{
    NotStarted,
    Waiting,
    Starting,
    Running,
    Unhealthy,
    Exited,
    FailedToStart,
    Stopping,
    Finished,
}
