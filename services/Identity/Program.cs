using SentryFlow.Contracts;
using SentryFlow.Identity.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSentryFlowDbContext<IdentityDbContext>(SentryFlowResources.IdentityDb);
builder.AddSentryFlowMessaging();

builder.AddDefaultOpenApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapDefaultOpenApi();

app.Run();

public partial class Program;
