using SentryFlow.Contracts;
using SentryFlow.RateLimit.Apis;
using SentryFlow.RateLimit.Infrastructure;
using SentryFlow.ServiceDefaults.Problems;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddProblemCatalogue(typeof(RateLimitProblems));
builder.AddSentryFlowDbContext<RateLimitDbContext>(SentryFlowResources.RateLimitDb);
builder.AddSentryFlowRedis(SentryFlowResources.Redis);
builder.AddSentryFlowMessaging(RateLimitServiceExtensions.AddRateLimitConsumers);
builder.AddSentryFlowOutbox<RateLimitDbContext>();
builder.AddSentryFlowAuthentication();
// Gateways send the same machine-client token on every check: validate it once, not per decision.
builder.AddValidatedTokenCache();
builder.AddRateLimitServices();
builder.Services.AddValidation();
// Policies and batches of checks are small JSON bodies.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 1024 * 1024);

builder.AddDefaultOpenApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();

app.MapPoliciesApi();
app.MapCountersApi();
app.MapCheckApi();
app.MapDefaultOpenApi();

app.Run();

public partial class Program;
