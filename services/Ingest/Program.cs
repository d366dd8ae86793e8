using Scalar.AspNetCore;
using SentryFlow.Contracts;
using SentryFlow.Ingest.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSentryFlowDbContext<IngestDbContext>(SentryFlowResources.IngestDb);
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
