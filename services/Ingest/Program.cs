using Microsoft.Extensions.Http.Resilience;
using SentryFlow.Contracts;
using SentryFlow.Ingest;
using SentryFlow.Ingest.Apis;
using SentryFlow.Ingest.Authentication;
using SentryFlow.Ingest.DeadLetters;
using SentryFlow.Ingest.Infrastructure;
using SentryFlow.Ingest.Publishing;
using SentryFlow.Ingest.Records;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSentryFlowDbContext<IngestDbContext>(SentryFlowResources.IngestDb);
builder.AddSentryFlowRedis(SentryFlowResources.Redis);
builder.AddSentryFlowMessaging();

builder.AddSentryFlowAuthentication(); // user tokens, for the dead-letter API only
builder.Services.AddMemoryCache();
builder.Services.AddRequestDecompression();
builder.Services.AddSingleton(TimeProvider.System);
// A sender waits on this call: when keys is down, answer 503 within seconds rather than after the default
// handler's 30 s of retries.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is how a client replaces the default handler.
builder.Services.AddHttpClient<IngestKeyVerifier>(client => client.BaseAddress = new Uri($"http://{SentryFlowResources.Keys}"))
    .RemoveAllResilienceHandlers()
    .AddStandardResilienceHandler(resilience =>
    {
        resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
        resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(4);
        resilience.Retry.MaxRetryAttempts = 1;
        resilience.Retry.Delay = TimeSpan.FromMilliseconds(100);
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
    });
#pragma warning restore EXTEXP0001
builder.Services.AddSingleton<IngestMetrics>();
builder.Services.AddSingleton<Masker>();
builder.Services.AddSingleton<RecordValidator>();
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
