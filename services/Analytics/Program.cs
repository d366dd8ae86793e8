using MassTransit;
using Npgsql;
using SentryFlow.Analytics;
using SentryFlow.Analytics.Apis;
using SentryFlow.Analytics.Caching;
using SentryFlow.Analytics.Infrastructure;
using SentryFlow.Analytics.IntegrationEvents;
using SentryFlow.Analytics.Live;
using SentryFlow.Analytics.Queries;
using SentryFlow.Analytics.Retention;
using SentryFlow.Analytics.Rollups;
using SentryFlow.Analytics.Signals;
using SentryFlow.Analytics.Storage;
using SentryFlow.Contracts;
using SentryFlow.ServiceDefaults;
using SentryFlow.ServiceDefaults.Problems;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddProblemCatalogue(typeof(AnalyticsProblems));
builder.AddSentryFlowDbContext<AnalyticsDbContext>(SentryFlowResources.AnalyticsDb);
builder.AddSentryFlowRedis(SentryFlowResources.Redis);
builder.AddSentryFlowMessaging(bus =>
{
    bus.AddConsumer<RequestRecordsAcceptedConsumer>(consumer => consumer.Options<BatchOptions>(batch => batch
            .SetMessageLimit(RequestRecordsAcceptedConsumer.MessageLimit)
            .SetTimeLimit(RequestRecordsAcceptedConsumer.TimeLimit)
            .SetConcurrencyLimit(RequestRecordsAcceptedConsumer.ConcurrencyLimit)))
        .Endpoint(e =>
        {
            e.Name = SentryFlowQueues.AnalyticsRequestRecords;
            e.PrefetchCount = RequestRecordsAcceptedConsumer.MessageLimit * RequestRecordsAcceptedConsumer.ConcurrencyLimit;
        });
    bus.AddConsumer<EventsAcceptedConsumer>().Endpoint(e => e.Name = SentryFlowQueues.AnalyticsEvents);

    // Named for this service: alerting consumes the same events on queues of its own.
    bus.AddConsumer<RateLimitExceededConsumer>().Endpoint(e => e.Name = SentryFlowQueues.AnalyticsRateLimitExceeded);
    bus.AddConsumer<ApiKeysVerifiedConsumer>().Endpoint(e => e.Name = SentryFlowQueues.AnalyticsApiKeysVerified);
});

// The write path and the queries speak SQL to PostgreSQL directly (binary COPY, partitioned tables, array sums).
builder.Services.AddSingleton(services => NpgsqlDataSource.Create(
    ConnectionStrings.GetRequired(services.GetRequiredService<IConfiguration>(), SentryFlowResources.AnalyticsDb)));
builder.AddSentryFlowAuthentication();
builder.Services.AddValidation();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<RecordPartitions>();
builder.Services.AddSingleton<RecordWriter>();
builder.Services.AddSingleton<GroupWriter>();
builder.Services.AddSingleton<EventWriter>();
builder.Services.AddSingleton<SignalWriter>();
builder.Services.AddHostedService<PartitionMaintainer>();
builder.Services.AddSingleton<RollupQueries>();
builder.Services.Configure<RollupFoldOptions>(builder.Configuration.GetSection(RollupFoldOptions.Section));
builder.Services.AddSingleton<RollupFolder>();
builder.Services.AddHostedService<RollupFoldJob>();
builder.Services.AddSingleton<RequestLogQueries>();
builder.Services.AddSingleton<UsageQueries>();
builder.Services.Configure<RetentionOptions>(builder.Configuration.GetSection(RetentionOptions.Section));
builder.Services.AddSingleton<ProjectSettingsStore>();
builder.Services.AddSingleton<RetentionSweeper>();
builder.Services.AddSingleton<RetentionRunLog>();
builder.Services.AddHostedService<RetentionJob>();
builder.Services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<LiveStreamSlots>();
builder.Services.AddServiceMetrics<LiveMetrics>();
builder.Services.AddSingleton<LiveSubscriptions>();
builder.Services.AddSingleton<LivePublisher>();
builder.Services.AddSingleton<LiveView>();
builder.Services.AddSingleton<LiveTail>();
builder.Services.Configure<QueryCacheOptions>(builder.Configuration.GetSection(QueryCacheOptions.Section));
builder.Services.AddServiceMetrics<QueryCacheMetrics>();
builder.Services.AddSingleton<QueryCache>();

builder.AddDefaultOpenApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();

app.MapAnalyticsApi();
app.MapAnalyticsUsageApi();
app.MapAnalyticsSettingsApi();
app.MapRuleQueryApi();
app.MapAnalyticsLiveApi();
app.MapDefaultOpenApi();

app.Run();

public partial class Program;
