namespace SentryFlow.Alerting.Notifications;

public enum DeliveryStatus
{
    /// <summary>Waiting for its (next) dispatch round.</summary>
    Pending,

    Delivered,

    /// <summary>Every round failed; <see cref="Delivery.LastError"/> says why.</summary>
    Failed,

    /// <summary>A silence matched when the alert changed; nothing was sent.</summary>
    Silenced,

    /// <summary>Its rule was deleted or its channels changed before it was sent; it will not be.</summary>
    Cancelled,
}
