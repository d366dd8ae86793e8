extern alias ingest;
extern alias keys;
extern alias ratelimit;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;
using Xunit;
using IngestKeyVerifier = ingest::SentryFlow.Ingest.Authentication.IngestKeyVerifier;
using IngestProgram = ingest::Program;
using IngestRateLimiter = ingest::SentryFlow.Ingest.Limits.IngestRateLimiter;
using KeysProgram = keys::Program;
using RateLimitProgram = ratelimit::Program;

namespace SentryFlow.Bench;

/// <summary>
/// <c>POST /v1/requests/batch</c> (batches of 500) over HTTP on loopback from several connections, with the keys
/// service verifying the ingest key, the rate-limit service asked for the project's ingest limit (the project has no
/// "ingest" policy, so the answer is cached) and a consumer counting what arrives on the bus: records/s accepted end to
/// end (answered 202 and received by the consumer) and the batch call's latency.
/// </summary>
public static class IngestBench
{
    private const int BatchSize = 500;
    private const int DefaultBatches = 400;
    private const int Connections = 8;

    public static async Task RunAsync()
    {
        if (!await ServiceRuntime.EnsureAsync("ingest"))
        {
            return;
        }

        // A longer run (SENTRYFLOW_BENCH_BATCHES) leaves time to attach a profiler to the measured part.
        var batches = int.Parse(Environment.GetEnvironmentVariable("SENTRYFLOW_BENCH_BATCHES") ?? $"{DefaultBatches}", CultureInfo.InvariantCulture);
        await using var keysService = new ServiceFactory<KeysProgram>();
        keysService.Settings["Logging:LogLevel:Default"] = "Warning";
        await ((IAsyncLifetime)keysService).InitializeAsync();
        var projectId = Guid.NewGuid();
        using var keysClient = keysService.CreateClient();
        keysClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForProjects(OrganizationRole.Member, projectId));
        using var created = await keysClient.PostAsJsonAsync($"/api/projects/{projectId}/keys", new { name = "bench", permissions = new[] { "ingest:write" } });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;

        await using var rateLimitService = new ServiceFactory<RateLimitProgram>();
        rateLimitService.Settings["Logging:LogLevel:Default"] = "Warning";
        await ((IAsyncLifetime)rateLimitService).InitializeAsync();

        await using var ingestService = new ServiceFactory<IngestProgram>();
        ingestService.Settings["Logging:LogLevel:Default"] = "Warning";
        ingestService.ConfigureTestServices = services =>
        {
            services.AddHttpClient<IngestKeyVerifier>().ConfigurePrimaryHttpMessageHandler(() => keysService.Server.CreateHandler());
            services.AddHttpClient<IngestRateLimiter>().ConfigurePrimaryHttpMessageHandler(() => rateLimitService.Server.CreateHandler());
        };
        await ((IAsyncLifetime)ingestService).InitializeAsync();
        var port = FreePort.Next();
        ingestService.UseKestrel(port);
        ingestService.StartServer();

        long received = 0;
        long busBytes = 0;
        using var consumer = await BusConsumerHost.StartAsync(ingestService.ConnectionString(SentryFlowResources.Messaging),
            services => services
                .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
                .AddSingleton(new RecordCounter((count, bytes) =>
                {
                    Interlocked.Add(ref busBytes, bytes);
                    Interlocked.Add(ref received, count);
                })),
            bus => bus.AddConsumer<RecordCounter>());

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        byte[] Body() => JsonSerializer.SerializeToUtf8Bytes(Enumerable.Range(0, BatchSize).Select(i => new
        {
            clientId = Guid.NewGuid().ToString("n"), timestamp = DateTimeOffset.UtcNow, method = "GET", host = "api.example.test",
            path = $"/orders/{i}", route = "/orders/{id}", status = i % 50 == 0 ? 500 : 200, durationMs = 3.2 + i % 40, consumer = $"customer-{i % 20}",
        }));
        // Bodies are made before the clock starts: the load generator shares the machine's two cores.
        var bodies = Enumerable.Range(0, batches + 20).Select(_ => Body()).ToArray();
        var nextBody = -1;
        var refused = 0;
        async Task Post(int _)
        {
            var body = bodies[Interlocked.Increment(ref nextBody)];
            while (true)
            {
                var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("/v1/requests/batch", content);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    response.EnsureSuccessStatusCode();
                    return;
                }

                // The broker did not confirm in time (a very busy machine): nothing was accepted; send it again after
                // Retry-After, as a sender should.
                Interlocked.Increment(ref refused);
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
            }
        }

        await Measure.RunAsync(20, 2, Post); // warm-up
        await WaitForAsync(() => Interlocked.Read(ref received) >= 20 * BatchSize);
        Interlocked.Exchange(ref received, 0);
        Interlocked.Exchange(ref busBytes, 0);

        var servers = await TestServers.GetAsync();
        var cpu = new Dictionary<string, int>
        {
            ["this process (load, ingest, keys, rate-limit, consumer)"] = Environment.ProcessId,
            ["Redis (server-wide: other clients count too)"] = servers.RedisProcessId,
            ["RabbitMQ (server-wide)"] = servers.MessagingProcessId,
        };
        var cpuBefore = cpu.ToDictionary(p => p.Key, p => ProcessTreeCpu.Of(p.Value));
        Console.WriteLine($"measuring {batches} batches");
        var clock = Stopwatch.StartNew();
        var calls = await Measure.RunAsync(batches, Connections, Post);
        await WaitForAsync(() => Interlocked.Read(ref received) >= (long)batches * BatchSize);
        clock.Stop();
        var records = (double)batches * BatchSize;
        Console.WriteLine($"batches of {BatchSize}, {Connections} connections, {batches} batches: calls {calls}");
        Console.WriteLine($"503 answers (sent again after Retry-After): {refused}");
        Console.WriteLine($"records accepted (202): {calls.PerSecond * BatchSize:F0}/s");
        Console.WriteLine($"records end to end (received from the bus): {batches * BatchSize / clock.Elapsed.TotalSeconds:F0}/s over {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"bytes on the bus per record (message bodies, envelope included): {Interlocked.Read(ref busBytes) / records:F0}");
        foreach (var (name, pid) in cpu)
        {
            Console.WriteLine($"CPU per 1,000 records, {name}: {(ProcessTreeCpu.Of(pid) - cpuBefore[name]).TotalMilliseconds / records * 1000:F1} ms");
        }

        await consumer.StopAsync();
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    public sealed class RecordCounter(Action<int, long> add) : IConsumer<RequestRecordsAccepted>
    {
        public Task Consume(ConsumeContext<RequestRecordsAccepted> context)
        {
            add(context.Message.Records.Count, context.ReceiveContext.Body.Length ?? 0);
            return Task.CompletedTask;
        }
    }
}
