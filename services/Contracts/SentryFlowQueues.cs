namespace SentryFlow.Contracts;

/// <summary>
/// Receive queues that other services depend on by name. Ingest's dead-letter API reads their error queues
/// (<c>{queue}_error</c>, where MassTransit moves a message whose consumer kept failing) and replays from them.
/// </summary>
public static class SentryFlowQueues
{
    /// <summary>Analytics' consumer of <c>RequestRecordsAccepted</c>.</summary>
    public const string AnalyticsRequestRecords = "analytics-request-records";

    /// <summary>Analytics' consumer of <c>EventsAccepted</c>.</summary>
    public const string AnalyticsEvents = "analytics-events";

    /// <summary>The queues downstream of ingest whose dead letters ingest exposes.</summary>
    public static IReadOnlyList<string> DownstreamOfIngest { get; } = [AnalyticsRequestRecords, AnalyticsEvents];

    public static string ErrorQueue(string queue) => $"{queue}_error";
}
