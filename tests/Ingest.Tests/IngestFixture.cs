extern alias keys;
extern alias ratelimit;

using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Ingest.Authentication;
using SentryFlow.Testing;
using SentryFlow.Ingest.Limits;
using KeysProgram = keys::Program;
using RateLimitProgram = ratelimit::Program;

namespace SentryFlow.Ingest.Tests;

/// <summary>
/// Ingest in-process with the real keys service behind it (its verify API answering ingest's calls), the real
/// rate-limit service deciding ingest limits, and a
/// consumer on ingest's virtual host keeping every message ingest publishes.
/// </summary>
public sealed class IngestFixture : IAsyncLifetime
{
    private IHost? _consumer;

    public ServiceFactory<KeysProgram> Keys { get; } = new();

    public ServiceFactory<RateLimitProgram> RateLimit { get; } = new();

    public ServiceFactory<Program> Ingest { get; } = new();

    public ConcurrentQueue<object> Published { get; } = new();

    /// <summary>The JSON bodies of the messages <see cref="Published"/> holds, as they travelled.</summary>
    public ConcurrentQueue<string> PublishedBodies { get; } = new();

    public Guid ProjectId { get; } = Guid.NewGuid();

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Keys).InitializeAsync();
        await ((IAsyncLifetime)RateLimit).InitializeAsync();
        // Exact answers (duplicates found, keys cached) on a saturated 2-core test host; the outage tests set production's.
        Keys.Settings["Keys:Redis:Timeout"] = "00:00:02";
        Ingest.Settings["Ingest:Redis:Timeout"] = "00:00:02";
        Ingest.ConfigureTestServices = services =>
        {
            services.AddHttpClient<IngestKeyVerifier>().ConfigurePrimaryHttpMessageHandler(() => Keys.Server.CreateHandler());
            services.AddHttpClient<IngestRateLimiter>().ConfigurePrimaryHttpMessageHandler(() => RateLimit.Server.CreateHandler());
        };
        await ((IAsyncLifetime)Ingest).InitializeAsync();
        await Ingest.CreateClient().WaitForHealthyAsync();
        await RateLimit.CreateClient().WaitForHealthyAsync();
        // Warm the keys service's verify path (JIT, connections), so no test's first call meets a cold service.
        using (var warmUp = await Keys.CreateClient().PostAsJsonAsync("/v1/keys/verify", new { key = "sf_live_warmup", permissions = "ingest:write" }))
        {
            warmUp.EnsureSuccessStatusCode();
        }

        _consumer = await BusConsumerHost.StartAsync(Ingest.ConnectionString(SentryFlowResources.Messaging),
            services => services.AddSingleton(Published).AddSingleton(PublishedBodies), bus => bus.AddConsumer<PublishedCollector>());
    }

    /// <summary>Issues a key for <see cref="ProjectId"/> through the keys API and returns its secret.</summary>
    public Task<string> IssueKeyAsync(params string[] permissions) => IssueKeyAsync(ProjectId, permissions);

    /// <summary>Issues a key for <paramref name="projectId"/> through the keys API and returns its secret.</summary>
    public async Task<string> IssueKeyAsync(Guid projectId, params string[] permissions)
    {
        using var client = Keys.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForProjects(OrganizationRole.Member, projectId));
        using var response = await client.PostAsJsonAsync($"/api/projects/{projectId}/keys", new { name = "ingest", permissions });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    /// <summary>Gives <paramref name="projectId"/> an <c>ingest</c> rate-limit policy of one fixed-window limit, through the rate-limit API.</summary>
    public async Task CreateIngestPolicyAsync(Guid projectId, int limit, int windowSeconds)
    {
        using var admin = RateLimit.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForProjects(OrganizationRole.Admin, projectId));
        using var created = await admin.PostAsJsonAsync($"/api/projects/{projectId}/ratelimit/policies", new
        {
            name = IngestRateLimiter.PolicyName,
            algorithm = "fixedWindow",
            partitionBy = new[] { "keyId" },
            limits = new[] { new { name = "records", limit, windowSeconds } },
        });
        Assert.True(created.StatusCode == System.Net.HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    /// <summary>The records published so far for <paramref name="projectId"/>.</summary>
    public List<RequestRecord> PublishedRecords(Guid projectId) =>
        [.. Published.OfType<RequestRecordsAccepted>().Where(b => b.ProjectId == projectId).SelectMany(b => b.Records)];

    /// <summary>Waits (up to 15 s) until the project's published records satisfy <paramref name="until"/>.</summary>
    public async Task<List<RequestRecord>> PublishedRecordsAsync(Guid projectId, Func<List<RequestRecord>, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var records = PublishedRecords(projectId);
            if (until(records))
            {
                return records;
            }

            Assert.True(DateTime.UtcNow < deadline, $"only {records.Count} records arrived");
            await Task.Delay(50);
        }
    }

    public HttpClient IngestClient(string? key)
    {
        var client = Ingest.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public async Task DisposeAsync()
    {
        if (_consumer is not null)
        {
            await _consumer.StopAsync();
            _consumer.Dispose();
        }

        await Ingest.DisposeAsync();
        await RateLimit.DisposeAsync();
        await Keys.DisposeAsync();
    }

    public sealed class PublishedCollector(ConcurrentQueue<object> published, ConcurrentQueue<string> bodies) : IConsumer<RequestRecordsAccepted>, IConsumer<EventsAccepted>
    {
        public Task Consume(ConsumeContext<RequestRecordsAccepted> context) => Collect(context, context.Message);

        public Task Consume(ConsumeContext<EventsAccepted> context) => Collect(context, context.Message);

        private Task Collect(ConsumeContext context, object message)
        {
            bodies.Enqueue(context.ReceiveContext.Body.GetString());
            published.Enqueue(message);
            return Task.CompletedTask;
        }
    }
}
