using Microsoft.Extensions.DependencyInjection.Extensions;
using SentryFlow.Alerting.Notifications;

namespace SentryFlow.Alerting.Destinations;

public static class DestinationExtensions
{
    /// <summary>
    /// The destination policy (<c>Alerting:Destinations</c>, checked at start) and the HTTP client notifications are sent
    /// with, whose every connection goes through the policy.
    /// </summary>
    public static IHostApplicationBuilder AddNotificationDestinations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DestinationOptions>()
            .BindConfiguration(DestinationOptions.Section)
            .Validate(options => options.Allow.All(DestinationPolicy.IsValidEntry),
                $"{DestinationOptions.Section}:Allow holds networks (10.0.0.0/8), addresses (127.0.0.1) and host names only.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<HostResolver>();
        builder.Services.AddSingleton<DestinationPolicy>();
        // Its own client, not the factory's: every factory client gets service discovery (a receiver is never one of the
        // platform's services), the standard resilience handler (the dispatcher retries and counts the attempts) and
        // logging that prints request URLs (a Slack URL is a credential). The handler renews connections every two
        // minutes, so DNS changes are seen (each new connection is checked again).
        builder.Services.AddKeyedSingleton(DeliveryDispatcher.HttpClientName, (services, _) =>
            new HttpClient(services.GetRequiredService<DestinationPolicy>().CreateHandler()));
        return builder;
    }
}
