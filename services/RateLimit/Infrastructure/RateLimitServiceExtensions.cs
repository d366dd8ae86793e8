using MassTransit;
using SentryFlow.RateLimit.Decisions;
using SentryFlow.RateLimit.Events;
using SentryFlow.RateLimit.Policies;
using SentryFlow.ServiceDefaults;

namespace SentryFlow.RateLimit.Infrastructure;

/// <summary>The rate-limit service's own registrations.</summary>
public static class RateLimitServiceExtensions
{
    public static IHostApplicationBuilder AddRateLimitServices(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<RateLimitOptions>(builder.Configuration.GetSection("RateLimit"));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PolicyCache>();
        builder.Services.AddSingleton<DecisionConnection>();
        builder.Services.AddSingleton(services => new RedisRateLimiter(services.GetRequiredService<DecisionConnection>().Connection));
        builder.Services.AddSingleton<LocalFallbackLimiter>();
        builder.Services.AddServiceMetrics<RateLimitMetrics>();
        builder.Services.AddSingleton<DecisionService>();
        builder.Services.AddHostedService<ScriptWarmup>();
        builder.Services.AddSingleton<ExceededReporter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ExceededReporter>());
        return builder;
    }

    /// <summary>
    /// The bus consumers: policy changes on a temporary queue of this instance's own (every instance must hear every
    /// change to drop its cache), project deletions on the service's shared queue (one instance deletes).
    /// </summary>
    public static void AddRateLimitConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<PolicyChangedConsumer>().Endpoint(endpoint =>
        {
            endpoint.InstanceId = Guid.NewGuid().ToString("n")[..12];
            endpoint.Temporary = true;
        });
        bus.AddConsumer<ProjectDeletedConsumer>();
    }
}
