using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Ingest.Tests;

/// <summary>
/// The dead-letter list and replay cover every service's error queues, not only the two downstream of ingest: here
/// keys' <c>ApiKeysVerified</c>, whose consumer in analytics once dead-lettered where nothing could replay it.
/// </summary>
public sealed class ErrorQueueReplayTests(IngestFixture fixture) : IClassFixture<IngestFixture>
{
    [Fact]
    public async Task An_api_keys_verified_message_in_its_error_queue_is_listed_and_replayed()
    {
        var verified = new VerifiedCounts();
        using var analytics = await BusConsumerHost.StartAsync(fixture.Ingest.ConnectionString(SentryFlowResources.Messaging),
            services => services.AddSingleton(verified),
            bus => bus.AddConsumer<VerifiedCountsConsumer>().Endpoint(e => e.Name = SentryFlowQueues.AnalyticsApiKeysVerified));

        var from = DateTimeOffset.UtcNow;
        await analytics.Services.GetRequiredService<IBus>().Publish(new ApiKeysVerified(from, from.AddMinutes(1), []));

        using var admin = new DeadLetterAdmin(fixture);
        // A content failure: two quick retries, then the error queue.
        var deadLetter = (await admin.WaitForQueueAsync(SentryFlowQueues.AnalyticsApiKeysVerified, TimeSpan.FromSeconds(20)))
            .Single(d => d.GetProperty("queue").GetString() == SentryFlowQueues.AnalyticsApiKeysVerified);
        Assert.Contains(nameof(ApiKeysVerified), deadLetter.GetProperty("messageType").GetString());
        Assert.Equal(3, verified.Attempts);

        verified.Failing = false;
        await admin.ReplayAsync(deadLetter, () => verified.Stored.Contains(from));

        Assert.DoesNotContain(await admin.ListAsync(),
            d => d.GetProperty("queue").GetString() == SentryFlowQueues.AnalyticsApiKeysVerified);
        await analytics.StopAsync();
    }

    public sealed class VerifiedCounts
    {
        private int _attempts;

        public volatile bool Failing = true;

        public int Attempts => _attempts;

        public ConcurrentBag<DateTimeOffset> Stored { get; } = [];

        public void Take(ApiKeysVerified message)
        {
            Interlocked.Increment(ref _attempts);
            if (Failing)
            {
                throw new FormatException("The counts cannot be read.");
            }

            Stored.Add(message.From);
        }
    }

    public sealed class VerifiedCountsConsumer(VerifiedCounts counts) : IConsumer<ApiKeysVerified>
    {
        public Task Consume(ConsumeContext<ApiKeysVerified> context)
        {
            counts.Take(context.Message);
            return Task.CompletedTask;
        }
    }
}
