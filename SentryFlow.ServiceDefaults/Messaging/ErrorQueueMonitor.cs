using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using SentryFlow.Contracts;

namespace SentryFlow.ServiceDefaults.Messaging;

/// <summary>How often a service counts the messages waiting in its error queues (section <c>Messaging:ErrorQueues</c>).</summary>
public sealed class ErrorQueueOptions
{
    public const string Section = "Messaging:ErrorQueues";

    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// The durable receive queues of this service's consumers, as MassTransit configures them (a temporary queue, such as
/// the bus's own or rate-limit's per-instance policy queue, is left out: it goes with its instance).
/// </summary>
public sealed class ConsumerQueues : IEndpointConfigurationObserver
{
    private readonly ConcurrentDictionary<string, bool> _queues = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Names => [.. _queues.Keys.Order(StringComparer.Ordinal)];

    public void EndpointConfigured<T>(T configurator) where T : IReceiveEndpointConfigurator
    {
        var address = configurator.InputAddress;
        var query = address.Query;
        if (query.Contains("temporary=true", StringComparison.OrdinalIgnoreCase)
            || query.Contains("autodelete=true", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        _queues.TryAdd(address.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1], true);
    }
}

/// <summary>
/// Counts the messages waiting in each of this service's error queues every <see cref="ErrorQueueOptions.PollInterval"/>:
/// exported as the gauge <c>sentryflow_messaging_error_queue_messages{queue}</c>, and <c>/health</c> is Degraded while
/// one is not empty (<see cref="ErrorQueueHealthCheck"/>). Ingest's dead-letter API lists and replays them.
/// </summary>
public sealed partial class ErrorQueueMonitor : BackgroundService
{
    public const string GaugeName = "sentryflow.messaging.error_queue.messages";

    private readonly ConsumerQueues _queues;
    private readonly IConfiguration _configuration;
    private readonly IOptions<ErrorQueueOptions> _options;
    private readonly ILogger<ErrorQueueMonitor> _logger;
    private readonly string _clientName;
    private volatile IReadOnlyDictionary<string, long> _waiting = new Dictionary<string, long>();

    public ErrorQueueMonitor(ConsumerQueues queues, IConfiguration configuration, IOptions<ErrorQueueOptions> options,
        IMeterFactory meterFactory, IHostEnvironment environment, ILogger<ErrorQueueMonitor> logger)
    {
        _queues = queues;
        _configuration = configuration;
        _options = options;
        _logger = logger;
        _clientName = $"{environment.ApplicationName}-error-queues";
        meterFactory.Create(environment.ApplicationName).CreateObservableGauge(GaugeName, Measure,
            description: "Messages waiting in the error queue of one of the service's consumers (dead letters to look at and replay).");
    }

    /// <summary>Messages waiting per error queue at the last count (every queue of the service, 0 until counted).</summary>
    public IReadOnlyDictionary<string, long> Waiting => _waiting;

    /// <summary>Whether the error queues have been counted at least once.</summary>
    public bool Counted { get; private set; }

    private IEnumerable<Measurement<long>> Measure()
    {
        var waiting = _waiting;
        foreach (var queue in _queues.Names)
        {
            var errors = SentryFlowQueues.ErrorQueue(queue);
            yield return new Measurement<long>(waiting.GetValueOrDefault(errors), new KeyValuePair<string, object?>("queue", errors));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IConnection? connection = null;
        try
        {
            using var timer = new PeriodicTimer(_options.Value.PollInterval);
            do
            {
                try
                {
                    if (connection is not { IsOpen: true })
                    {
                        if (connection is not null)
                        {
                            await connection.DisposeAsync();
                        }

                        var endpoint = RabbitMqEndpoint.Parse(ConnectionStrings.GetRequired(_configuration, SentryFlowResources.Messaging));
                        connection = await endpoint.CreateConnectionFactory(_clientName).CreateConnectionAsync(stoppingToken);
                    }

                    _waiting = await CountAsync(connection, stoppingToken);
                    Counted = true;
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The broker is down: the bus's own health check says so; keep the last count.
                    LogCountFailed(_logger, exception.GetType().Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task<IReadOnlyDictionary<string, long>> CountAsync(IConnection connection, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        IChannel? channel = null;
        try
        {
            foreach (var queue in _queues.Names)
            {
                var errors = SentryFlowQueues.ErrorQueue(queue);
                channel ??= await connection.CreateChannelAsync(cancellationToken: cancellationToken);
                try
                {
                    counts[errors] = (await channel.QueueDeclarePassiveAsync(errors, cancellationToken)).MessageCount;
                }
                catch (OperationInterruptedException missing) when (missing.ShutdownReason?.ReplyCode == 404)
                {
                    // No error queue yet (nothing ever failed): the broker closed the channel; open another.
                    counts[errors] = 0;
                    await channel.DisposeAsync();
                    channel = null;
                }
            }
        }
        finally
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }
        }

        return counts;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not count the error queues ({ExceptionType}); keeping the last count.")]
    private static partial void LogCountFailed(ILogger logger, string exceptionType);
}

/// <summary>Degraded while one of the service's error queues holds a message: consumers gave up on something.</summary>
public sealed class ErrorQueueHealthCheck(ErrorQueueMonitor monitor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var waiting = monitor.Waiting.Where(q => q.Value > 0).ToDictionary(q => q.Key, q => (object)q.Value);
        return Task.FromResult(waiting.Count == 0
            ? HealthCheckResult.Healthy(monitor.Counted ? "No dead letters." : "Not counted yet.")
            : new HealthCheckResult(context.Registration.FailureStatus,
                $"Dead letters waiting: {string.Join(", ", waiting.Select(q => $"{q.Key} ({q.Value})"))}.", data: waiting));
    }
}
