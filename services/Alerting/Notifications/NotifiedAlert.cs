namespace SentryFlow.Alerting.Notifications;

/// <summary>
/// One alert as a group's receivers last heard of it: firing since <see cref="StartsAt"/>, or recorded as silenced
/// (nothing sent). A different <see cref="StartsAt"/> on the alert means the one they heard of ended meanwhile.
/// </summary>
public sealed class NotifiedAlert
{
    public Guid AlertId { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public bool Silenced { get; set; }
}
