using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using Polly;
using Polly.Retry;
using SentryFlow.Alerting.Destinations;
using SentryFlow.Alerting.Infrastructure;
using SentryFlow.Alerting.Rules;

namespace SentryFlow.Alerting.Notifications;

/// <summary>
/// Sends pending deliveries, apart from evaluation. A batch is leased with one atomic statement
/// (<c>FOR UPDATE SKIP LOCKED</c>, then a lease time), so two instances never send the same delivery. Each delivery
/// gets a Polly retry pipeline (exponential backoff with jitter, a timeout per attempt); when that gives up the
/// delivery waits for another round, and after <see cref="AlertingOptions.DeliveryRounds"/> it is failed. Every
/// attempt and the last error are kept: the delivery log. The error says no more than the receiver's answer (its HTTP
/// or SMTP status), that it could not be reached, or that its destination is refused by policy (failed at once, never
/// retried): socket errors and timings would map the network behind the receiver's address.
/// </summary>
public sealed partial class DeliveryDispatcher : BackgroundService
{
    public const string HttpClientName = "notifications";

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private const int Batch = 20;

    private readonly IServiceScopeFactory _scopes;
    private readonly HttpClient _http;
    private readonly ChannelSender _sender;
    private readonly EmailSender _email;
    private readonly ChannelSecrets _secrets;
    private readonly TimeProvider _time;
    private readonly AlertingOptions _options;
    private readonly ILogger<DeliveryDispatcher> _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public DeliveryDispatcher(
        IServiceScopeFactory scopes, [FromKeyedServices(HttpClientName)] HttpClient http, ChannelSender sender, EmailSender email, ChannelSecrets secrets, TimeProvider time,
        IOptions<AlertingOptions> options, ILogger<DeliveryDispatcher> logger)
    {
        _scopes = scopes;
        _http = http;
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
                    .Handle<Exception>(exception => exception is not OperationCanceledException && !DestinationRefusedException.IsIn(exception))
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

        var deliveries = await db.Deliveries.AsNoTracking().Where(d => ids.Contains(d.Id)).OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).ToListAsync(cancellationToken);
        // Groups in parallel; one group's notifications in order, so a receiver never hears "resolved" before "firing".
        var outcomes = new Dictionary<Guid, SendOutcome>();
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
            await RecordAsync(db, delivery, outcomes[delivery.Id], finished, cancellationToken);
        }

        return deliveries.Count;
    }

    /// <summary>
    /// Writes a round's outcome. A delivery cancelled meanwhile (its rule deleted or its channels changed) stays
    /// cancelled, unless it was in fact delivered: the log says what happened.
    /// </summary>
    private async Task RecordAsync(AlertingDbContext db, Delivery delivery, SendOutcome outcome, DateTimeOffset finished, CancellationToken cancellationToken)
    {
        var rounds = delivery.Rounds + 1;
        var status = outcome.Error is null ? DeliveryStatus.Delivered
            : outcome.Refused || rounds >= _options.DeliveryRounds ? DeliveryStatus.Failed
            : DeliveryStatus.Pending;
        DateTimeOffset? deliveredAt = status == DeliveryStatus.Delivered ? finished : null;
        var nextAttemptAt = status == DeliveryStatus.Pending ? finished + TimeSpan.FromSeconds(30 << (rounds - 1)) : delivery.NextAttemptAt;
        var updated = await db.Deliveries
            .Where(d => d.Id == delivery.Id && (d.Status == DeliveryStatus.Pending || (status == DeliveryStatus.Delivered && d.Status == DeliveryStatus.Cancelled)))
            .ExecuteUpdateAsync(d => d
                .SetProperty(x => x.Attempts, x => x.Attempts + outcome.Attempts)
                .SetProperty(x => x.Rounds, rounds)
                .SetProperty(x => x.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(x => x.LastError, outcome.Error)
                .SetProperty(x => x.Status, status)
                .SetProperty(x => x.DeliveredAt, deliveredAt)
                .SetProperty(x => x.NextAttemptAt, nextAttemptAt), cancellationToken);
        if (updated == 1 && status == DeliveryStatus.Failed)
        {
            LogDeliveryFailed(_logger, outcome.Exception, delivery.Id, delivery.Channel.Type.ToString(), delivery.Attempts + outcome.Attempts, outcome.Error!);
        }
    }

    /// <summary>Runs the retry pipeline: the attempts made, and the last error (null when delivered).</summary>
    private async Task<SendOutcome> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
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
                // No trace span for it: a span records the full URL, and a Slack URL is a credential.
                using (SuppressInstrumentationScope.Begin())
                {
                    return await _http.SendAsync(request, ct);
                }
            }, cancellationToken);
            return response.IsSuccessStatusCode
                ? new SendOutcome(attempts, null)
                : new SendOutcome(attempts, $"The receiver answered {(int)response.StatusCode}.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome(attempts, Describe(exception, delivery.Channel.Type), DestinationRefusedException.IsIn(exception), exception);
        }
    }

    /// <summary>What the delivery log says of a failure: a receiver's answer, or only that it could not be reached (or was refused).</summary>
    private static string Describe(Exception exception, ChannelType channel) => exception switch
    {
        _ when DestinationRefusedException.IsIn(exception) => DestinationPolicy.Refused,
        SmtpCommandException answer => $"The SMTP server answered {(int)answer.StatusCode}.",
        AuthenticationException => "The SMTP server refused the credentials.",
        _ when channel == ChannelType.Email => "The SMTP server could not be reached.",
        _ => "The receiver could not be reached.",
    };

    /// <summary>One round's result: the attempts made; the error for the log (null when delivered); whether the destination was refused.</summary>
    private sealed record SendOutcome(int Attempts, string? Error, bool Refused = false, Exception? Exception = null);

    [LoggerMessage(Level = LogLevel.Error, Message = "A delivery batch failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} to a {Channel} channel failed after {Attempts} attempts: {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception? exception, Guid deliveryId, string channel, int attempts, string error);
}
