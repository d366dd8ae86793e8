using SentryFlow.Contracts;
using SentryFlow.Ingest;
using SentryFlow.Ingest.Apis;
using SentryFlow.Ingest.Authentication;
using SentryFlow.Ingest.DeadLetters;
using SentryFlow.Ingest.Limits;
using SentryFlow.Ingest.Publishing;
using SentryFlow.Ingest.Records;
using SentryFlow.ServiceDefaults;
using SentryFlow.ServiceDefaults.Problems;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddProblemCatalogue(typeof(IngestProblems));
builder.AddSentryFlowRedis(SentryFlowResources.Redis);
builder.AddSentryFlowMessaging();

builder.AddSentryFlowAuthentication(); // user tokens, for the dead-letter API only
builder.Services.AddMemoryCache();
builder.Services.AddRequestDecompression();
builder.Services.AddSingleton(TimeProvider.System);
// A sender waits on these calls: when keys or rate-limit is down, answer within seconds, not after 30 s of retries.
builder.Services.AddHttpClient<IngestKeyVerifier>(client => client.BaseAddress = new Uri($"http://{SentryFlowResources.Keys}"))
    .AddFastFailResilience(TimeSpan.FromSeconds(2));
builder.Services.AddHttpClient<IngestRateLimiter>(client => client.BaseAddress = new Uri($"http://{SentryFlowResources.RateLimit}"))
    .AddServiceToken()
    .AddFastFailResilience(TimeSpan.FromSeconds(1), retry: false);
builder.Services.AddServiceMetrics<IngestMetrics>();
builder.Services.AddSingleton<Masker>();
builder.Services.AddSingleton<RecordValidator>();
// A sender waits on the idempotency look-up too: with Redis away, ingest accepts without it within 100 ms, and at once
// while the breaker is open (analytics' store-time dedupe keeps resent items out).
builder.Services.AddRedisCircuit("Ingest:Redis", TimeSpan.FromMilliseconds(100));
builder.Services.AddSingleton<IdempotencyWindow>();
builder.Services.AddSingleton<BatchPublisher>();
builder.Services.AddScoped<IngestPipeline>();
builder.Services.AddScoped<IngestKeyFilter>();
builder.Services.AddSingleton<DeadLetterStore>();

builder.AddDefaultOpenApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseRequestDecompression();

app.UseAuthorization();

app.MapIngestApi();
app.MapDeadLettersApi();
app.MapDefaultOpenApi();

app.Run();

public partial class Program;
