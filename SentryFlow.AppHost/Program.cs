using SentryFlow.AppHost;
using SentryFlow.Contracts;

var builder = DistributedApplication.CreateBuilder(args.WithoutStateOptions());

// Aspire's containers when publishing the manifest; PostgreSQL, Redis and RabbitMQ from Debian's packages as local
// processes when running here, where there is no container runtime (ServerResources.cs).
var postgres = builder.AddPostgresServer(SentryFlowResources.Postgres);
var identityDb = postgres.AddDatabase(SentryFlowResources.IdentityDb);
var keysDb = postgres.AddDatabase(SentryFlowResources.KeysDb);
var rateLimitDb = postgres.AddDatabase(SentryFlowResources.RateLimitDb);
var analyticsDb = postgres.AddDatabase(SentryFlowResources.AnalyticsDb);
var alertingDb = postgres.AddDatabase(SentryFlowResources.AlertingDb);

var redis = builder.AddRedisServer(SentryFlowResources.Redis);

// Services do not wait for RabbitMQ: it takes the longest to boot (10-25 s here), and a service connects its bus in the
// background and reconnects by itself, reporting unhealthy until it has. Starting beside the broker saves that boot.
var messaging = builder.AddRabbitMQServer(SentryFlowResources.Messaging);

var identity = builder.AddProject<Projects.Identity_Api>(SentryFlowResources.Identity)
    .AsSentryFlowService()
    .WithReference(identityDb).WaitFor(identityDb)
    .WithReference(messaging)
    .WithHttpHealthCheck("/health");

var keys = builder.AddProject<Projects.Keys_Api>(SentryFlowResources.Keys)
    .AsSentryFlowService()
    .WithReference(keysDb).WaitFor(keysDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging)
    .WithReference(identity)
    .WithHttpHealthCheck("/health");

var rateLimit = builder.AddProject<Projects.RateLimit_Api>(SentryFlowResources.RateLimit)
    .AsSentryFlowService()
    .WithReference(rateLimitDb).WaitFor(rateLimitDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging)
    .WithReference(identity)
    .WithHttpHealthCheck("/health");

var ingest = builder.AddProject<Projects.Ingest_Api>(SentryFlowResources.Ingest)
    .AsSentryFlowService()
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging)
    .WithReference(identity)
    .WithServiceClient(identity)
    .WithReference(keys)
    .WithReference(rateLimit)
    .WithHttpHealthCheck("/health");

var analytics = builder.AddProject<Projects.Analytics_Api>(SentryFlowResources.Analytics)
    .AsSentryFlowService()
    .WithReference(analyticsDb).WaitFor(analyticsDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging)
    .WithReference(identity)
    .WithHttpHealthCheck("/health");

var alerting = builder.AddProject<Projects.Alerting_Api>(SentryFlowResources.Alerting)
    .AsSentryFlowService()
    .WithReference(alertingDb).WaitFor(alertingDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging)
    .WithReference(identity)
    .WithServiceClient(identity)
    .WithReference(analytics)
    .WithHttpHealthCheck("/health");

// The demo (a sample API and its consumers) on a local run, unless switched off with Demo:Enabled=false.
if (builder.IsDemoEnabled())
{
    builder.AddDemo(identity, keys, rateLimit, ingest, alerting);
}

ResourceStatusLog.Subscribe(builder);

builder.Build().Run();
