using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SentryFlow.Contracts;
using SentryFlow.ServiceDefaults;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the shared Redis connection.</summary>
public static class RedisExtensions
{
    /// <summary>How long the health check waits for Redis before calling it unhealthy.</summary>
    public static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Registers a singleton StackExchange.Redis <see cref="IConnectionMultiplexer"/> and a health check
    /// named <paramref name="connectionName"/>, tagged <c>ready</c>, that sends <c>PING</c>.
    /// </summary>
    /// <param name="builder">The service's builder.</param>
    /// <param name="connectionName">
    /// The connection string's name, read from <c>ConnectionStrings:{connectionName}</c> (the environment
    /// variable <c>ConnectionStrings__redis</c>): a StackExchange.Redis configuration string such as
    /// <c>127.0.0.1:6379,password=xyz</c>.
    /// </param>
    /// <remarks>
    /// The multiplexer is created on first use (a missing connection string then throws an
    /// <see cref="InvalidOperationException"/> naming the variable) with <c>abortConnect=false</c>: it
    /// does not fail when Redis is down but keeps reconnecting in the background, and the health check
    /// reports Redis unhealthy meanwhile.
    /// </remarks>
    public static IHostApplicationBuilder AddSentryFlowRedis(
        this IHostApplicationBuilder builder,
        string connectionName = SentryFlowResources.Redis)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        builder.Services.AddSingleton<IConnectionMultiplexer>(services =>
        {
            var options = ConfigurationOptions.Parse(
                ConnectionStrings.GetRequired(services.GetRequiredService<IConfiguration>(), connectionName));
            options.AbortOnConnectFail = false;
            options.ClientName ??= services.GetRequiredService<IHostEnvironment>().ApplicationName;
            return ConnectionMultiplexer.Connect(options);
        });

        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(
            connectionName,
            HealthStatus.Unhealthy,
            [ServiceDefaultsExtensions.ReadyTag],
            HealthCheckTimeout);

        return builder;
    }
}
