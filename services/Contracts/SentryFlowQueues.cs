namespace SentryFlow.Contracts;

/// <summary>
/// The durable receive queues of every service's consumers. Ingest's dead-letter API reads their error queues
/// (<c>{queue}_error</c>, where MassTransit moves a message whose consumer gave up) and replays from them; each service
/// counts its own (the <c>sentryflow_messaging_error_queue_messages</c> gauge, <c>/health</c> Degraded).
/// </summary>
public static class SentryFlowQueues
{
    /// <summary>Analytics' consumer of <c>RequestRecordsAccepted</c>.</summary>
    public const string AnalyticsRequestRecords = "analytics-request-records";

    /// <summary>Analytics' consumer of <c>EventsAccepted</c>.</summary>
    public const string AnalyticsEvents = "analytics-events";

    /// <summary>Analytics' consumer of <c>RateLimitExceeded</c>.</summary>
    public const string AnalyticsRateLimitExceeded = "analytics-rate-limit-exceeded";

    /// <summary>Analytics' consumer of keys' <c>ApiKeysVerified</c>.</summary>
    public const string AnalyticsApiKeysVerified = "analytics-api-keys-verified";

    /// <summary>Keys' consumer of <c>ProjectDeleted</c> (MassTransit's name: the service's prefix and the consumer's).</summary>
    public const string KeysProjectDeleted = "keys-project-deleted";

    /// <summary>Rate-limit's consumer of <c>ProjectDeleted</c>.</summary>
    public const string RateLimitProjectDeleted = "ratelimit-project-deleted";

    /// <summary>
    /// Every service's durable consumer queues: ingest's dead-letter API lists and replays their error queues. A
    /// service's tests check that each of its consumer queues is here.
    /// </summary>
    public static IReadOnlyList<string> WithErrorQueues { get; } =
    [
        AnalyticsRequestRecords, AnalyticsEvents, AnalyticsRateLimitExceeded, AnalyticsApiKeysVerified,
        KeysProjectDeleted, RateLimitProjectDeleted,
    ];

    public static string ErrorQueue(string queue) => $"{queue}_error";
}
