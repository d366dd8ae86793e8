namespace SentryFlow.Alerting;

/// <summary>The <c>Alerting</c> configuration section.</summary>
public sealed class AlertingOptions
{
    public const string Section = "Alerting";

    /// <summary>How often each rule is evaluated.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first delay between HTTP attempts of a notification (then doubled, with jitter).</summary>
    public TimeSpan DeliveryRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retries after the first HTTP attempt within one dispatch round.</summary>
    public int DeliveryRetries { get; set; } = 3;

    /// <summary>Dispatch rounds before a delivery is given up as failed (rounds are 30 s, 1 min, 2 min, ... apart).</summary>
    public int DeliveryRounds { get; set; } = 4;

    /// <summary>How long one HTTP attempt to a receiver may take.</summary>
    public TimeSpan DeliveryAttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a new notification group waits for more alerts before its first notification (Alertmanager's <c>group_wait</c>).</summary>
    public TimeSpan GroupWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a notified group waits before telling of new or resolved alerts (<c>group_interval</c>).</summary>
    public TimeSpan GroupInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long before an unchanged, still-firing group is notified again (<c>repeat_interval</c>).</summary>
    public TimeSpan RepeatInterval { get; set; } = TimeSpan.FromHours(4);

    /// <summary>How often evaluators look for due rules: the interval, but at least once a second.</summary>
    public TimeSpan PollInterval => EvaluationInterval < TimeSpan.FromSeconds(1) ? EvaluationInterval : TimeSpan.FromSeconds(1);
}
