using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using SentryFlow.Contracts;
using SentryFlow.Samples.TrafficGenerator;
using SentryFlow.Samples.TrafficGenerator.Bootstrap;
using SentryFlow.Samples.TrafficGenerator.Traffic;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(TrafficStats.MeterName));

// The services through discovery (http://identity...), with the default resilience: the bootstrap retries on top.
foreach (var service in (string[])[SentryFlowResources.Identity, SentryFlowResources.Keys, SentryFlowResources.RateLimit, SentryFlowResources.Alerting])
{
    builder.Services.AddHttpClient(service, client => client.BaseAddress = new Uri($"http://{service}"));
}

builder.Services.AddSingleton(services =>
{
    var clients = services.GetRequiredService<IHttpClientFactory>();
    return new PlatformClients(
        clients.CreateClient(SentryFlowResources.Identity),
        clients.CreateClient(SentryFlowResources.Keys),
        clients.CreateClient(SentryFlowResources.RateLimit),
        clients.CreateClient(SentryFlowResources.Alerting));
});

// The consumers' client: no retries, so every 5xx and 429 is seen as a consumer sees it, and no sooner timeout than
// the slowest simulated search.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is experimental; it is how a client drops the default handler.
builder.Services.AddHttpClient(DemoWorker.OrdersClient, (services, client) =>
    {
        client.BaseAddress = services.GetRequiredService<IOptions<DemoOptions>>().Value.OrdersUrl;
        client.Timeout = TimeSpan.FromSeconds(30);
    })
    .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

builder.Services.AddSingleton(services =>
{
    var demo = services.GetRequiredService<IOptions<DemoOptions>>().Value;
    return new TrafficPlan(ConsumerProfile.Defaults, new DailyCurve(demo.DayLength), demo.Seed, demo.RateScale);
});
builder.Services.AddSingleton(services => new OrdersRequests(services.GetRequiredService<IOptions<DemoOptions>>().Value.Seed));
builder.Services.AddSingleton<TrafficStats>();
builder.Services.AddSingleton<DemoBootstrapper>();
builder.Services.AddSingleton<DemoWorker>();
builder.Services.AddHostedService(services => services.GetRequiredService<DemoWorker>());

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGet("/demo", (DemoWorker worker, IOptions<DemoOptions> options) => worker.Tenant is { } tenant
        ? Results.Ok(new
        {
            user = options.Value.Email,
            organizationId = tenant.OrganizationId,
            projectId = tenant.ProjectId,
            keys = tenant.ConsumerKeys.Values.Prepend(tenant.IngestKey).Select(k => new { k.Id, k.Name, k.Owner }),
            rateLimitPolicyId = tenant.RateLimitPolicyId,
            alertRuleIds = tenant.AlertRuleIds,
        })
        : Results.Problem("The demo tenant is being set up.", statusCode: StatusCodes.Status503ServiceUnavailable))
    .WithDescription("What the demo made (ids only, never a secret).");

app.Run();

public partial class Program;
