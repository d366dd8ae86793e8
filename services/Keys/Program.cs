using SentryFlow.Contracts;
using SentryFlow.Keys.Apis;
using SentryFlow.Keys.Infrastructure;
using SentryFlow.Keys.IntegrationEvents;
using SentryFlow.Keys.Keys;
using SentryFlow.Keys.Verification;
using SentryFlow.ServiceDefaults;
using SentryFlow.ServiceDefaults.Problems;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddProblemCatalogue(typeof(KeysProblems));
builder.AddSentryFlowDbContext<KeysDbContext>(SentryFlowResources.KeysDb);
builder.AddSentryFlowRedis(SentryFlowResources.Redis);
builder.AddSentryFlowMessaging(bus => bus.AddConsumer<ProjectDeletedConsumer>());
builder.AddSentryFlowOutbox<KeysDbContext>();
builder.AddSentryFlowAuthentication();
builder.Services.AddValidation();
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton(TimeProvider.System);
// Verify answers within 50 ms without Redis: each Redis call waits at most 20 ms (two per verification at most), and
// none while the breaker is open; state then comes from memory or PostgreSQL, usage and rate limits fail open.
builder.Services.AddRedisCircuit("Keys:Redis", TimeSpan.FromMilliseconds(20));
builder.Services.AddSingleton<KeyStateCache>();
builder.Services.AddHostedService(services => services.GetRequiredService<KeyStateCache>());
builder.Services.AddSingleton<UsageCounter>();
builder.Services.AddSingleton<VerificationRecorder>();
builder.Services.AddHostedService<VerificationFlusher>();
builder.Services.AddSingleton<KeyVerifier>();
builder.Services.AddScoped<KeyChanges>();

builder.AddDefaultOpenApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();

app.MapVerifyApi();
app.MapKeysApi();
app.MapDefaultOpenApi();

app.Run();

public partial class Program;
