using System.Net;

namespace SentryFlow.Samples.TrafficGenerator.Bootstrap;

/// <summary>A service answered a bootstrap call with an error: which call, the status and the problem's code and detail.</summary>
public sealed class PlatformCallException(string call, HttpStatusCode status, string? problem)
    : Exception($"{call} was answered {(int)status} {status}{(problem is null ? "" : $": {problem}")}")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>Worth trying again: the service is starting, restarting, overloaded or not yet trusting new access.</summary>
    public bool IsTransient => (int)Status >= 500 || Status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
        or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}
