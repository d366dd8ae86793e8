using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SentryFlow.ServiceDefaults.Messaging;
using SentryFlow.Testing;

namespace SentryFlow.ServiceDefaults.Tests;

/// <summary>
/// Every consumer, through the shared registration: a database outage longer than the old 8.6 s retry span is ridden
/// out (the message is kept and stored once the server is back); a message that fails for its content goes to the
/// error queue at once, where the gauge and /health show it.
/// </summary>
public sealed class ConsumerResilienceTests
{
    [Fact]
    public async Task A_message_whose_database_is_unreachable_for_longer_than_the_old_retry_span_is_stored_once_it_is_back()
    {
        var servers = await TestServers.GetAsync();
        var connection = await servers.MessagingVirtualHostAsync($"defaults_{Guid.NewGuid():n}");
        var database = new OutageDatabase($"Host=127.0.0.1;Port={FreePort.Next()};Username=nobody;Password=x;Timeout=2");
        await using var app = await TestApp.StartAsync(
            new()
            {
                ["ConnectionStrings:messaging"] = connection,
                ["Messaging:Retry:TransientFirstDelay"] = "00:00:00.200",
                ["Messaging:Retry:TransientMaxDelay"] = "00:00:01",
                ["Messaging:ErrorQueues:PollInterval"] = "00:00:00.200",
            },
            builder =>
            {
                builder.Services.AddSingleton(database);
                builder.AddSentryFlowMessaging(bus => bus.AddConsumer<StoringConsumer>());
            });
        await app.GetTestClient().WaitForHealthyAsync();

        var stopwatch = Stopwatch.StartNew();
        var sent = new RecordToStore(Guid.NewGuid());
        await app.Services.GetRequiredService<IBus>().Publish(sent);

        // Down (connection refused) for 12 s: longer than the 8.6 s of immediate retries consumers had before.
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(12))
        {
            Assert.Empty(database.Stored);
            await Task.Delay(500);
        }

        Assert.True(database.Attempts > 5, $"only {database.Attempts} attempts while the database was down");
        database.ConnectionString = servers.PostgresConnectionString;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (database.Stored.IsEmpty)
        {
            Assert.True(DateTime.UtcNow < deadline, "the message was not stored once the database was back");
            await Task.Delay(100);
        }

        Assert.Equal([sent.Id], database.Stored);
        await Task.Delay(1000); // a count of the error queues
        var monitor = app.Services.GetRequiredService<ErrorQueueMonitor>();
        Assert.True(monitor.Counted);
        Assert.All(monitor.Waiting.Values, waiting => Assert.Equal(0, waiting));
    }

    [Fact]
    public async Task A_message_that_fails_for_its_content_goes_to_the_error_queue_at_once_and_health_is_degraded()
    {
        var servers = await TestServers.GetAsync();
        var connection = await servers.MessagingVirtualHostAsync($"defaults_{Guid.NewGuid():n}");
        var attempts = new ConcurrentBag<DateTimeOffset>();
        await using var app = await TestApp.StartAsync(
            new()
            {
                ["ConnectionStrings:messaging"] = connection,
                ["Messaging:ErrorQueues:PollInterval"] = "00:00:00.200",
            },
            builder =>
            {
                builder.Services.AddSingleton(attempts);
                builder.AddSentryFlowMessaging(bus => bus.AddConsumer<RejectingConsumer>());
            });
        using var client = app.GetTestClient();
        await client.WaitForHealthyAsync();
        using (var healthy = await client.GetAsync("/health"))
        {
            Assert.Equal("Healthy", await healthy.Content.ReadAsStringAsync());
        }

        var stopwatch = Stopwatch.StartNew();
        await app.Services.GetRequiredService<IBus>().Publish(new RecordToStore(Guid.NewGuid()));

        var monitor = app.Services.GetRequiredService<ErrorQueueMonitor>();
        var errorQueue = Assert.Single(app.Services.GetRequiredService<ConsumerQueues>().Names) + "_error";
        Assert.EndsWith("rejecting_error", errorQueue);
        while (monitor.Waiting.GetValueOrDefault(errorQueue) == 0)
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"nothing reached {errorQueue}");
            await Task.Delay(100);
        }

        // The first try and two quick retries, within a second or two: not minutes of retrying.
        Assert.Equal(3, attempts.Count);
        Assert.True(attempts.Max() - attempts.Min() < TimeSpan.FromSeconds(2));
        Assert.Equal(1, monitor.Waiting[errorQueue]);

        using var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync());
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), line =>
            line.StartsWith("sentryflow_messaging_error_queue_messages{", StringComparison.Ordinal)
            && line.Contains($"queue=\"{errorQueue}\"", StringComparison.Ordinal)
            && line.Split(' ')[1] == "1");
    }

    [Fact]
    public void Transient_failures_are_told_from_content_failures()
    {
        Assert.True(TransientFailures.IsTransient(new PostgresException("starting up", "FATAL", "FATAL", PostgresErrorCodes.CannotConnectNow)));
        Assert.True(TransientFailures.IsTransient(new PostgresException("shutting down", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown)));
        Assert.True(TransientFailures.IsTransient(new InvalidOperationException("wrapped", new TimeoutException())));
        Assert.True(TransientFailures.IsTransient(new RabbitMQ.Client.Exceptions.AlreadyClosedException(
            new RabbitMQ.Client.Events.ShutdownEventArgs(RabbitMQ.Client.ShutdownInitiator.Peer, 320, "channel closed"))));
        Assert.False(TransientFailures.IsTransient(new PostgresException("bad", "ERROR", "ERROR", PostgresErrorCodes.CharacterNotInRepertoire)));
        Assert.False(TransientFailures.IsTransient(new ArgumentException("bad field")));
    }

    [Fact]
    public void Transient_retries_grow_and_cover_the_configured_span()
    {
        var delays = new ConsumerRetryOptions().TransientDelays();

        Assert.Equal(TimeSpan.FromSeconds(1), delays[0]);
        Assert.True(delays.Zip(delays.Skip(1)).All(pair => pair.Second >= pair.First));
        Assert.Equal(TimeSpan.FromSeconds(30), delays[^1]);
        Assert.InRange(delays.Aggregate(TimeSpan.Zero, (sum, delay) => sum + delay), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(11));
    }

    [Fact]
    public async Task Health_answers_within_a_second_while_a_dependency_hangs()
    {
        await using var app = await TestApp.StartAsync(
            new(),
            builder => builder.Services.AddHealthChecks()
                // A frozen server: the call never returns and ignores cancellation.
                .AddCheck("frozen", new FrozenCheck(), tags: [ServiceDefaultsExtensions.ReadyTag]));
        using var client = app.GetTestClient();

        var stopwatch = Stopwatch.StartNew();
        using var health = await client.GetAsync("/health");
        stopwatch.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"/health took {stopwatch.Elapsed}");
    }

    public sealed record RecordToStore(Guid Id);

    /// <summary>A PostgreSQL the test takes down and brings back by changing where it points.</summary>
    public sealed class OutageDatabase(string connectionString)
    {
        private int _attempts;

        public volatile string ConnectionString = connectionString;

        public int Attempts => _attempts;

        public ConcurrentQueue<Guid> Stored { get; } = new();

        public async Task StoreAsync(Guid id, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT @id", connection) { Parameters = { new("id", id) } };
            Stored.Enqueue((Guid)(await command.ExecuteScalarAsync(cancellationToken))!);
        }
    }

    public sealed class StoringConsumer(OutageDatabase database) : IConsumer<RecordToStore>
    {
        public Task Consume(ConsumeContext<RecordToStore> context) => database.StoreAsync(context.Message.Id, context.CancellationToken);
    }

    public sealed class RejectingConsumer(ConcurrentBag<DateTimeOffset> attempts) : IConsumer<RecordToStore>
    {
        public Task Consume(ConsumeContext<RecordToStore> context)
        {
            attempts.Add(DateTimeOffset.UtcNow);
            throw new ArgumentException("The record's field is invalid.", nameof(context));
        }
    }

    private sealed class FrozenCheck : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return HealthCheckResult.Healthy();
        }
    }
}
