using SentryFlow.Samples.Orders;
using SentryFlow.Samples.Orders.Apis;
using SentryFlow.Samples.Orders.Ordering;
using SentryFlow.Samples.Orders.Simulation;
using SentryFlow.ServiceDefaults.Problems;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddProblemCatalogue(typeof(OrdersProblems));
builder.Services.AddValidation();
builder.Services.AddOptions<OrdersOptions>().BindConfiguration(OrdersOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<OrderBook>();
builder.Services.AddSingleton<Simulator>();
builder.AddDefaultOpenApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOrdersApi();
app.MapDefaultOpenApi();

app.Run();

public partial class Program;
