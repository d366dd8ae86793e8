using SentryFlow.Analytics.Queries;

namespace SentryFlow.Analytics.Live;

/// <summary>The request log's filters (status or status class, method, route, consumer, client IP) applied to a tail.</summary>
public sealed record TailFilter(int? Status, int? StatusClass, string? Method, string? Route, string? Consumer, string? ClientIp)
{
    public bool Matches(RequestLogEntry entry) =>
        (Status is null || entry.Status == Status)
        && (StatusClass is null || entry.Status / 100 == StatusClass)
        && (Method is null || string.Equals(entry.Method, Method, StringComparison.Ordinal))
        && (Route is null || string.Equals(entry.Route, Route, StringComparison.Ordinal))
        && (Consumer is null || string.Equals(entry.Consumer, Consumer, StringComparison.Ordinal))
        && (ClientIp is null || string.Equals(entry.ClientIp, ClientIp, StringComparison.Ordinal));
}
