using System.ComponentModel.DataAnnotations;

namespace SentryFlow.ServiceDefaults.Messaging;

/// <summary>
/// How every consumer retries (section <c>Messaging:Retry</c>). A transient failure (a server unreachable, starting
/// up, a timeout: <see cref="TransientFailures"/>) is retried in memory with delays growing from
/// <see cref="TransientFirstDelay"/> to <see cref="TransientMaxDelay"/> for <see cref="TransientRetrySpan"/>: the
/// message stays unacknowledged meanwhile, and the consumer's slots stay busy, so it takes no new message until the
/// server is back. Any other failure is retried <see cref="ContentRetries"/> times within a second and then moved to
/// the endpoint's <c>_error</c> queue.
/// </summary>
public sealed class ConsumerRetryOptions
{
    public const string Section = "Messaging:Retry";

    /// <summary>How long a transient failure is retried before its message is dead-lettered: long enough for an operator to bring a server back.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:25:00")] // RabbitMQ closes a channel holding a delivery unacknowledged for 30 min
    public TimeSpan TransientRetrySpan { get; set; } = TimeSpan.FromMinutes(10);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan TransientFirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan TransientMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Quick retries of a failure that is not transient (a race, a bug that may pass), before the error queue.</summary>
    [Range(0, 10)]
    public int ContentRetries { get; set; } = 2;

    /// <summary>The delays between transient retries: doubling from the first up to the cap, until they add up to the span.</summary>
    public TimeSpan[] TransientDelays()
    {
        var delays = new List<TimeSpan>();
        var total = TimeSpan.Zero;
        var next = TransientFirstDelay;
        while (total < TransientRetrySpan)
        {
            delays.Add(next);
            total += next;
            next = TimeSpan.FromTicks(Math.Min(next.Ticks * 2, TransientMaxDelay.Ticks));
        }

        return [.. delays];
    }

    /// <summary>The delays between quick retries of other failures: 100 ms, 300 ms, 500 ms...</summary>
    public TimeSpan[] ContentDelays() =>
        [.. Enumerable.Range(0, ContentRetries).Select(i => TimeSpan.FromMilliseconds(100 + (200 * i)))];
}
