using Scalar.AspNetCore;
using SentryFlow.Contracts;
using SentryFlow.Analytics.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSentryFlowDbContext<AnalyticsDbContext>(SentryFlowResources.AnalyticsDb);
builder.AddSentryFlowRedis(SentryFlowResources.Redis);
builder.AddSentryFlowMessaging();

builder.Services.AddOpenApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenApi();

if (app.Environment.IsDevelopment())
{
    app.MapScalarApiReference();
}

app.Run();

public partial class Program;
