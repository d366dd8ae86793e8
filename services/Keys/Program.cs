using SentryFlow.Contracts;
using SentryFlow.Keys.Apis;
using SentryFlow.Keys.Infrastructure;
using SentryFlow.Keys.IntegrationEvents;
using SentryFlow.Keys.Keys;
using SentryFlow.Keys.Verification;
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
