namespace SentryFlow.Alerting.Destinations;

/// <summary>A notification's destination is an address the <see cref="DestinationPolicy"/> refuses; nothing was sent to it.</summary>
public sealed class DestinationRefusedException() : Exception(DestinationPolicy.Refused)
{
    /// <summary>Whether <paramref name="exception"/> or one of its inner exceptions (HttpClient wraps its connect's) is a refusal.</summary>
    public static bool IsIn(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is DestinationRefusedException)
            {
                return true;
            }
        }

        return false;
    }
}
