using System.Security.Authentication;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SentryFlow.Contracts;
using SentryFlow.ServiceDefaults;
using SentryFlow.ServiceDefaults.Messaging;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the message bus: MassTransit 8.5 over RabbitMQ.</summary>
public static class MessagingExtensions
{
    /// <summary>
    /// The service's name as its queues start with it: <c>OTEL_SERVICE_NAME</c> (the AppHost's resource name, e.g.
    /// <c>keys</c>), else the first part of the application's name (<c>Keys.Api</c>: <c>keys</c>).
    /// </summary>
    public static string QueuePrefix(IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var name = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } serviceName
            ? serviceName
            : builder.Environment.ApplicationName.Split('.')[0];
        return name.ToLowerInvariant();
    }

    /// <summary>
    /// Registers MassTransit on RabbitMQ: kebab-case endpoint names prefixed with the service's name, a receive endpoint
    /// for every registered consumer, publisher confirms, MassTransit's own bus health check (tagged <c>ready</c>, so
    /// <c>/health</c> includes it), and for every consumer the retry policy of <see cref="ConsumerRetryOptions"/>:
    /// transient failures retried for minutes with growing delays, others quickly and then to the error queue. The
    /// error queues are counted (<see cref="ErrorQueueMonitor"/>: a gauge, and <c>/health</c> Degraded while one is
    /// not empty).
    /// </summary>
    /// <param name="builder">The service's builder.</param>
    /// <param name="configureConsumers">
    /// Registers the service's consumers (<c>x.AddConsumer&lt;T&gt;()</c>), sagas, outbox and so on.
    /// </param>
    /// <param name="connectionName">
    /// The connection string's name, read from <c>ConnectionStrings:{connectionName}</c> (the environment
    /// variable <c>ConnectionStrings__messaging</c>) when the bus is created, at host start: an
    /// <c>amqp://user:pass@host:port/vhost</c> URI (see <see cref="RabbitMqEndpoint.Parse"/>). A missing
    /// one throws an <see cref="InvalidOperationException"/> naming the variable.
    /// </param>
    /// <remarks>
    /// The bus starts in the background: a service whose broker is down still starts, and
    /// <c>/health</c> answers 503 until the bus is connected, and again whenever the connection is lost
    /// (MassTransit reconnects by itself).
    /// </remarks>
    public static IHostApplicationBuilder AddSentryFlowMessaging(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? configureConsumers = null,
        string connectionName = SentryFlowResources.Messaging)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        builder.Services.AddOptions<ConsumerRetryOptions>().BindConfiguration(ConsumerRetryOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ErrorQueueOptions>().BindConfiguration(ErrorQueueOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        var consumerQueues = new ConsumerQueues();
        builder.Services.AddSingleton(consumerQueues);
        builder.Services.AddSingleton<ErrorQueueMonitor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ErrorQueueMonitor>());
        builder.Services.AddHealthChecks().AddCheck<ErrorQueueHealthCheck>("error-queues", HealthStatus.Degraded,
            [ServiceDefaultsExtensions.ReadyTag]);

        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit reports usage to its authors at every start; a self-hosted platform calls no one home.
            bus.DisableUsageTelemetry();
            // Queues carry the service's name: two services consuming the same event (keys and rate-limit both
            // handle ProjectDeleted) on one broker must each get their own queue, not compete for one.
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(QueuePrefix(builder), includeNamespace: false));

            // MassTransit registers its bus health check itself; name it after the resource, like the
            // database and Redis checks, and make any failure (a faulted endpoint too) Unhealthy.
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = connectionName;
                health.Tags.Add(ServiceDefaultsExtensions.ReadyTag);
                health.MinimalFailureStatus = HealthStatus.Unhealthy;
            });

            configureConsumers?.Invoke(bus);

            bus.UsingRabbitMq((context, cfg) =>
            {
                var endpoint = RabbitMqEndpoint.Parse(
                    ConnectionStrings.GetRequired(context.GetRequiredService<IConfiguration>(), connectionName));
                var applicationName = context.GetRequiredService<IHostEnvironment>().ApplicationName;

                cfg.Host(endpoint.Host, endpoint.Port, endpoint.VirtualHost, applicationName, host =>
                {
                    host.Username(endpoint.Username);
                    host.Password(endpoint.Password);
                    if (endpoint.UseSsl)
                    {
                        host.UseSsl(ssl =>
                        {
                            ssl.ServerName = endpoint.Host;
                            ssl.Protocol = SslProtocols.Tls12 | SslProtocols.Tls13;
                        });
                    }

                    // Publisher confirms are MassTransit's default on RabbitMQ; stated here because
                    // "nothing accepted is lost" depends on them: Publish/Send complete only once the
                    // broker has taken the message.
                    host.PublisherConfirmation = true;
                });

                // In-memory retries for every receive endpoint (no delayed redelivery: the broker has no
                // delayed-exchange plugin). The outer policy retries what is not transient a few times, quickly, then
                // MassTransit moves the message to the endpoint's _error queue; the inner one retries a transient
                // failure (PostgreSQL down for a minute) with growing delays for minutes. Meanwhile the message stays
                // unacknowledged and the consumer's slots busy: it takes nothing new until the server is back.
                var retries = context.GetRequiredService<IOptions<ConsumerRetryOptions>>().Value;
                cfg.UseMessageRetry(retry =>
                {
                    retry.Handle<Exception>(exception => !TransientFailures.IsTransient(exception));
                    if (retries.ContentRetries == 0)
                    {
                        retry.None();
                    }
                    else
                    {
                        retry.Intervals(retries.ContentDelays());
                    }
                });
                cfg.UseMessageRetry(retry =>
                {
                    retry.Handle<Exception>(TransientFailures.IsTransient);
                    retry.Intervals(retries.TransientDelays());
                });
                cfg.ConnectEndpointConfigurationObserver(consumerQueues);

                // Start the bus endpoint (this instance's temporary queue, also used for responses) with
                // the bus. MassTransit's health check follows its receive endpoints, so without one a
                // service that only publishes would stay "Healthy" while the broker is down.
                cfg.AutoStart = true;

                // Absent fields are read back as null: leaving nulls out makes a batch of request records (most of
                // whose optional fields are empty) about a third smaller to write, carry and read. MassTransit
                // indents by default: for a batch of 500 records that is tens of KB of spaces and newlines written,
                // carried by the broker and skipped twice by the reader (the envelope, then the message).
                cfg.ConfigureJsonSerializerOptions(json =>
                {
                    json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
                    json.WriteIndented = false;
                    return json;
                });

                cfg.ConfigureEndpoints(context);
            });
        });

        return builder;
    }
}
