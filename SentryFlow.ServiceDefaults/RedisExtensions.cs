using SentryFlow.Contracts;
using SentryFlow.ServiceDefaults;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the shared Redis connection.</summary>
public static class RedisExtensions
{
    /// <summary>
    /// Registers a singleton StackExchange.Redis <see cref="IConnectionMultiplexer"/> through Aspire's Redis client
    /// integration (<c>AddRedisClient</c>: a health check that sends <c>PING</c>, traces), named after the service.
    /// </summary>
    /// <param name="builder">The service's builder.</param>
    /// <param name="connectionName">
    /// The connection string's name, read from <c>ConnectionStrings:{connectionName}</c> (the environment variable
    /// <c>ConnectionStrings__redis</c>): a StackExchange.Redis configuration string such as
    /// <c>127.0.0.1:6379,password=xyz</c>; the service does not start without it.
    /// </param>
    /// <remarks>
    /// The multiplexer does not fail when Redis is down (<c>abortConnect=false</c>) but keeps reconnecting in the
    /// background, and the health check reports Redis unhealthy meanwhile.
    /// </remarks>
    public static IHostApplicationBuilder AddSentryFlowRedis(
        this IHostApplicationBuilder builder,
        string connectionName = SentryFlowResources.Redis)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        ConnectionStrings.GetRequired(builder.Configuration, connectionName);
        var clientName = builder.Environment.ApplicationName;
        builder.AddRedisClient(connectionName, configureOptions: options =>
        {
            options.AbortOnConnectFail = false;
            options.ClientName ??= clientName;
        });

        return builder;
    }
}
