using System.Net;
using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using SentryFlow.Alerting.Infrastructure;
using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Notifications;

/// <summary>
/// Sends pending deliveries, apart from evaluation. A batch is leased with one atomic statement
/// (<c>FOR UPDATE SKIP LOCKED</c>, then a lease time), so two instances never send the same delivery. Each delivery
/// gets a Polly retry pipeline (exponential backoff with jitter, a timeout per attempt); when that gives up the
/// delivery waits for another round, and after <see cref="AlertingOptions.DeliveryRounds"/> it is failed. Every
/// attempt and the last error are kept: the delivery log.
/// </summary>
public sealed partial class DeliveryDispatcher : BackgroundService
{
    public const string HttpClientName = "notifications";

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private const int Batch = 20;

    private readonly IServiceScopeFactory _scopes;
    private readonly IHttpClientFactory _httpClients;
    private readonly ChannelSender _sender;
    private readonly EmailSender _email;
    private readonly ChannelSecrets _secrets;
    private readonly TimeProvider _time;
    private readonly AlertingOptions _options;
    private readonly ILogger<DeliveryDispatcher> _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public DeliveryDispatcher(
        IServiceScopeFactory scopes, IHttpClientFactory httpClients, ChannelSender sender, EmailSender email, ChannelSecrets secrets, TimeProvider time,
        IOptions<AlertingOptions> options, ILogger<DeliveryDispatcher> logger)
    {
        _scopes = scopes;
        _httpClients = httpClients;
        _sender = sender;
        _email = email;
        _secrets = secrets;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _options.DeliveryRetries,
                Delay = _options.DeliveryRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<SmtpException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(response => (int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests),
                OnRetry = retry =>
                {
                    retry.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(_options.DeliveryAttemptTimeout)
            .Build();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await DispatchBatchAsync(stoppingToken) == 0)
                {
                    await Task.Delay(Poll, _time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogBatchFailed(_logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(2), _time, stoppingToken);
            }
        }
    }

    /// <summary>Leases and sends one batch; returns how many deliveries it handled.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlertingDbContext>();
        var now = _time.GetUtcNow();
        var leaseUntil = now + Lease;
        var ids = await db.Database.SqlQuery<Guid>($"""
            UPDATE alerting."Deliveries" SET "LeaseUntil" = {leaseUntil}
            WHERE "Id" IN (SELECT "Id" FROM alerting."Deliveries"
                           WHERE "Status" = 'Pending' AND "NextAttemptAt" <= {now} AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now})
                           ORDER BY "CreatedAt" LIMIT {Batch} FOR UPDATE SKIP LOCKED)
            RETURNING "Id" AS "Value"
            """).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return 0;
        }

        var deliveries = await db.Deliveries.Where(d => ids.Contains(d.Id)).OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).ToListAsync(cancellationToken);
        // Groups in parallel; one group's notifications in order, so a receiver never hears "resolved" before "firing".
        var outcomes = new Dictionary<Guid, (int Attempts, string? Error)>();
        await Task.WhenAll(deliveries.GroupBy(d => d.GroupId).Select(async group =>
        {
            foreach (var delivery in group)
            {
                var outcome = await SendAsync(delivery, cancellationToken);
                lock (outcomes)
                {
                    outcomes[delivery.Id] = outcome;
                }
            }
        }));
        var finished = _time.GetUtcNow();
        foreach (var delivery in deliveries)
        {
            var (attempts, error) = outcomes[delivery.Id];
            delivery.Attempts += attempts;
            delivery.Rounds++;
            delivery.LeaseUntil = null;
            delivery.LastError = error;
            if (error is null)
            {
                delivery.Status = DeliveryStatus.Delivered;
                delivery.DeliveredAt = finished;
            }
            else if (delivery.Rounds >= _options.DeliveryRounds)
            {
                delivery.Status = DeliveryStatus.Failed;
                LogDeliveryFailed(_logger, delivery.Id, delivery.Channel.Type.ToString(), delivery.Attempts, error);
            }
            else
            {
                delivery.NextAttemptAt = finished + TimeSpan.FromSeconds(30 << (delivery.Rounds - 1));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return deliveries.Count;
    }

    /// <summary>Runs the retry pipeline; the HTTP attempts made, and the last error (null when delivered).</summary>
    private async Task<(int Attempts, string? Error)> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            var http = _httpClients.CreateClient(HttpClientName);
            var channel = _secrets.Unprotected(delivery.Channel);
            using var response = await _pipeline.ExecuteAsync(async ct =>
            {
                if (channel.Type == ChannelType.Email)
                {
                    attempts++;
                    await _email.SendAsync(delivery, channel, ct);
                    return new HttpResponseMessage(HttpStatusCode.OK);
                }

                // A new request per attempt (a request cannot be sent twice), signed with a fresh timestamp.
                var request = _sender.CreateRequest(delivery, channel);
                if (request is null)
                {
                    return new HttpResponseMessage(HttpStatusCode.OK);
                }

                attempts++;
                using (request)
                {
                    return await http.SendAsync(request, ct);
                }
            }, cancellationToken);
            return response.IsSuccessStatusCode ? (attempts, null) : (attempts, $"The receiver answered {(int)response.StatusCode}.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (attempts, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A delivery batch failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} to a {Channel} channel failed after {Attempts} attempts: {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, Guid deliveryId, string channel, int attempts, string error);
}
