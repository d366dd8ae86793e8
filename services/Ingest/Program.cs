using SentryFlow.Contracts;
using SentryFlow.Ingest;
using SentryFlow.Ingest.Apis;
using SentryFlow.Ingest.Authentication;
using SentryFlow.Ingest.Infrastructure;
using SentryFlow.Ingest.Publishing;
using SentryFlow.Ingest.Records;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSentryFlowDbContext<IngestDbContext>(SentryFlowResources.IngestDb);
builder.AddSentryFlowRedis(SentryFlowResources.Redis);
builder.AddSentryFlowMessaging();

builder.Services.AddMemoryCache();
builder.Services.AddRequestDecompression();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddHttpClient<IngestKeyVerifier>(client => client.BaseAddress = new Uri($"http://{SentryFlowResources.Keys}"));
builder.Services.AddSingleton<IngestMetrics>();
builder.Services.AddSingleton<Masker>();
builder.Services.AddSingleton<RecordValidator>();
builder.Services.AddSingleton<IdempotencyWindow>();
builder.Services.AddSingleton<BatchPublisher>();
builder.Services.AddScoped<IngestPipeline>();
builder.Services.AddScoped<IngestKeyFilter>();

builder.AddDefaultOpenApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseRequestDecompression();

app.MapIngestApi();
app.MapDefaultOpenApi();

app.Run();

public partial class Program;
