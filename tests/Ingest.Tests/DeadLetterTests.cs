using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Ingest.Tests;

/// <summary>A batch the downstream consumer keeps failing on ends in its error queue; an admin lists and replays it.</summary>
public sealed class DeadLetterTests(IngestFixture fixture) : IClassFixture<IngestFixture>
{
    [Fact]
    public async Task A_batch_that_keeps_failing_downstream_can_be_listed_and_replayed()
    {
        var downstream = new FlakyDownstream { Failing = true };
        using var analytics = await BusConsumerHost.StartAsync(fixture.Ingest.ConnectionString(SentryFlowResources.Messaging),
            services => services.AddSingleton(downstream),
            bus => bus.AddConsumer<FlakyConsumer>().Endpoint(e => e.Name = SentryFlowQueues.AnalyticsRequestRecords));

        var key = await fixture.IssueKeyAsync("ingest:write");
        var clientId = Guid.NewGuid().ToString("n");
        using (var posted = await fixture.IngestClient(key).PostAsJsonAsync("/v1/requests", new
        {
            clientId, timestamp = DateTimeOffset.UtcNow, method = "GET", host = "h", path = "/doomed", status = 200, durationMs = 1,
        }))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        using var admin = new DeadLetterAdmin(fixture);
        // Not a transient failure: two quick retries, then the error queue.
        var listed = await admin.WaitForQueueAsync(SentryFlowQueues.AnalyticsRequestRecords, TimeSpan.FromSeconds(40));

        var deadLetter = Assert.Single(listed);
        Assert.Equal(SentryFlowQueues.AnalyticsRequestRecords, deadLetter.GetProperty("queue").GetString());
        Assert.Contains("downstream is broken", deadLetter.GetProperty("exceptionMessage").GetString());
        Assert.Equal(fixture.ProjectId.ToString(), deadLetter.GetProperty("projectId").GetString()); // poison or victim: whose
        Assert.Contains(nameof(RequestRecordsAccepted), deadLetter.GetProperty("messageType").GetString());

        downstream.Failing = false;
        await admin.ReplayAsync(deadLetter, () => downstream.Processed.Contains(clientId));

        Assert.Empty(await admin.ListAsync());
        await analytics.StopAsync();
    }

    [Fact]
    public async Task Only_platform_admins_see_dead_letters()
    {
        using var member = fixture.Ingest.CreateClient();
        member.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForProjects(Contracts.Authorization.OrganizationRole.Admin, fixture.ProjectId));
        var key = await fixture.IssueKeyAsync("ingest:write");

        using var asMember = await member.GetAsync("/v1/ingest/dead-letters");
        using var withIngestKey = await fixture.IngestClient(key).GetAsync("/v1/ingest/dead-letters");

        Assert.Equal(HttpStatusCode.Forbidden, asMember.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withIngestKey.StatusCode);
    }

    public sealed class FlakyDownstream
    {
        public volatile bool Failing;

        public System.Collections.Concurrent.ConcurrentBag<string> Processed { get; } = [];
    }

    public sealed class FlakyConsumer(FlakyDownstream downstream) : IConsumer<RequestRecordsAccepted>
    {
        public Task Consume(ConsumeContext<RequestRecordsAccepted> context)
        {
            if (downstream.Failing)
            {
                throw new InvalidOperationException("The downstream is broken.");
            }

            foreach (var record in context.Message.Records)
            {
                downstream.Processed.Add(record.ClientId!);
            }

            return Task.CompletedTask;
        }
    }
}
