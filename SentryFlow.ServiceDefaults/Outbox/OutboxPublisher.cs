using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SentryFlow.ServiceDefaults.Outbox;

/// <summary>
/// Publishes the outbox's unsent messages in order, a batch at a time, and marks them sent. Rows are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, so several instances of a service share the work without sending twice; a
/// message the bus refuses stays unsent and is retried on the next pass.
/// </summary>
public sealed partial class OutboxPublisher<TContext>(IServiceScopeFactory scopes, ILogger<OutboxPublisher<TContext>> logger)
    : BackgroundService where TContext : DbContext
{
    private const int BatchSize = 100;
    private static readonly TimeSpan IdleDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan FailureDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await PublishBatchAsync(stoppingToken) == 0)
                {
                    await Task.Delay(IdleDelay, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogPublishFailed(logger, exception);
                await Task.Delay(FailureDelay, stoppingToken);
            }
        }
    }

    /// <summary>Publishes one batch; returns how many messages it sent.</summary>
    public async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        var publisher = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        var entity = context.Model.FindEntityType(typeof(OutboxMessage))!;
        // Names from our own model, not from input.
        var claimUnsent = $"SELECT * FROM \"{entity.GetSchema() ?? "public"}\".\"{entity.GetTableName()}\" "
            + $"WHERE \"SentAt\" IS NULL ORDER BY \"CreatedAt\", \"Id\" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED";

        return await context.InTransactionAsync(async ct =>
        {
            var batch = await context.Set<OutboxMessage>().FromSqlRaw(claimUnsent).ToListAsync(ct);
            var sent = 0;
            foreach (var message in batch)
            {
                message.Attempts++;
                try
                {
                    var body = message.Deserialize();
                    await publisher.Publish(body, body.GetType(), send => send.MessageId = message.Id, ct);
                    message.SentAt = DateTimeOffset.UtcNow;
                    sent++;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogMessageFailed(logger, exception, message.Id, message.MessageType, message.Attempts);
                    break; // keep the order: what follows waits for this one
                }
            }

            await context.SaveChangesAsync(ct);
            return sent;
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the outbox failed; retrying")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} ({MessageType}) was not published (attempt {Attempts})")]
    private static partial void LogMessageFailed(ILogger logger, Exception exception, Guid messageId, string messageType, int attempts);
}
