using SentryFlow.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres");
var identityDb = postgres.AddDatabase("identitydb");
var keysDb = postgres.AddDatabase("keysdb");
var rateLimitDb = postgres.AddDatabase("ratelimitdb");
var ingestDb = postgres.AddDatabase("ingestdb");
var analyticsDb = postgres.AddDatabase("analyticsdb");
var alertingDb = postgres.AddDatabase("alertingdb");

var redis = builder.AddRedis("redis");
var messaging = builder.AddRabbitMQ("messaging");

var identity = builder.AddProject("identity", "../services/Identity/Identity.Api.csproj")
    .WithReference(identityDb).WaitFor(identityDb)
    .WithReference(messaging).WaitFor(messaging);

var keys = builder.AddProject("keys", "../services/Keys/Keys.Api.csproj")
    .WithReference(keysDb).WaitFor(keysDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(identity);

var rateLimit = builder.AddProject("ratelimit", "../services/RateLimit/RateLimit.Api.csproj")
    .WithReference(rateLimitDb).WaitFor(rateLimitDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(identity);

builder.AddProject("ingest", "../services/Ingest/Ingest.Api.csproj")
    .WithReference(ingestDb).WaitFor(ingestDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(identity)
    .WithServiceClient(identity)
    .WithReference(keys)
    .WithReference(rateLimit);

var analytics = builder.AddProject("analytics", "../services/Analytics/Analytics.Api.csproj")
    .WithReference(analyticsDb).WaitFor(analyticsDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(identity);

builder.AddProject("alerting", "../services/Alerting/Alerting.Api.csproj")
    .WithReference(alertingDb).WaitFor(alertingDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(identity)
    .WithServiceClient(identity)
    .WithReference(analytics);

builder.Build().Run();
