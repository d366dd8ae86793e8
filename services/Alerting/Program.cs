using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using SentryFlow.Alerting;
using SentryFlow.Alerting.Apis;
using SentryFlow.Alerting.Destinations;
using SentryFlow.Alerting.Evaluation;
using SentryFlow.Alerting.Infrastructure;
using SentryFlow.Alerting.Notifications;
using SentryFlow.Alerting.Rules;
using SentryFlow.Contracts;
using SentryFlow.ServiceDefaults.Problems;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSentryFlowDbContext<AlertingDbContext>(SentryFlowResources.AlertingDb);
builder.AddSentryFlowRedis(SentryFlowResources.Redis);
builder.AddSentryFlowMessaging();
builder.AddSentryFlowOutbox<AlertingDbContext>();
builder.AddSentryFlowAuthentication();
builder.Services.AddValidation();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOptions<AlertingOptions>().BindConfiguration(AlertingOptions.Section).ValidateOnStart();
builder.AddProblemCatalogue(typeof(AlertingProblems));

// An evaluation waits on analytics: a short retry, then the rule is in error until the next round.
builder.Services.AddHttpClient<AnalyticsRuleQueries>(client => client.BaseAddress = new Uri($"http://{SentryFlowResources.Analytics}"))
    .AddServiceToken()
    .AddFastFailResilience(TimeSpan.FromSeconds(5));
// Receivers only at the destinations the policy allows (public ones, and what the operator allows).
builder.AddNotificationDestinations();
builder.Services.AddScoped<RuleMeasurer>();
builder.Services.AddScoped<Notifier>();
builder.Services.AddSingleton<ChannelSender>();
builder.Services.AddSingleton<EmailSender>();
// Channel secrets are encrypted at rest; the key ring lives in alertingdb so every instance shares it.
builder.Services.AddDataProtection().SetApplicationName("sentryflow-alerting");
builder.Services.AddOptions<KeyManagementOptions>()
    .Configure<IServiceScopeFactory>((options, scopes) => options.XmlRepository = new DatabaseXmlRepository(scopes));
builder.Services.AddSingleton<ChannelSecrets>();
builder.Services.AddHostedService<ClearUrlEncryption>();
builder.Services.AddHostedService<RuleEvaluator>();
builder.Services.AddHostedService<GroupFlusher>();
builder.Services.AddHostedService<DeliveryDispatcher>();

builder.AddDefaultOpenApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();

app.MapRulesApi();
app.MapAlertsApi();
app.MapSilencesApi();
app.MapDeliveriesApi();
app.MapDefaultOpenApi();

app.Run();

public partial class Program;
