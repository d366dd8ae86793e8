namespace SentryFlow.Alerting.Rules;

public enum ChannelType
{
    /// <summary>Alertmanager's webhook JSON (version 4), signed.</summary>
    Webhook,

    /// <summary>A Slack-compatible incoming webhook (<c>{"text": ...}</c>).</summary>
    Slack,

    /// <summary>PagerDuty Events API v2: trigger, acknowledge and resolve with the alert's dedup key.</summary>
    PagerDuty,

    /// <summary>The service's own log, at warning level.</summary>
    Log,

    /// <summary>A plain-text email over SMTP.</summary>
    Email,
}
