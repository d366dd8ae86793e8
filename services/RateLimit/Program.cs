using SentryFlow.Contracts;
using SentryFlow.RateLimit.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSentryFlowDbContext<RateLimitDbContext>(SentryFlowResources.RateLimitDb);
builder.AddSentryFlowRedis(SentryFlowResources.Redis);
builder.AddSentryFlowMessaging();

builder.AddDefaultOpenApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapDefaultOpenApi();

app.Run();

public partial class Program;
