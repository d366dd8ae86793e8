namespace SentryFlow.Contracts;

/// <summary>
/// The names of SentryFlow's resources, as the AppHost declares them and as services look them up.
/// </summary>
/// <remarks>
/// A database or server name is also the name of its connection string: a service reads
/// <c>ConnectionStrings__keysdb</c> for <see cref="KeysDb"/>. A service name is also the host name
/// that service discovery resolves (<c>http://keys</c>, configured by <c>services__keys__http__0</c>).
/// </remarks>
public static class SentryFlowResources
{
    /// <summary>The PostgreSQL server that holds every service's database.</summary>
    public const string Postgres = "postgres";

    /// <summary>The Redis server (rate-limit counters, key-verification cache, idempotency windows).</summary>
    public const string Redis = "redis";

    /// <summary>The RabbitMQ broker; its connection string is an <c>amqp://</c> URI.</summary>
    public const string Messaging = "messaging";

    /// <summary>The identity service's database.</summary>
    public const string IdentityDb = "identitydb";

    /// <summary>The keys service's database.</summary>
    public const string KeysDb = "keysdb";

    /// <summary>The rate-limit service's database.</summary>
    public const string RateLimitDb = "ratelimitdb";

    /// <summary>The analytics service's database.</summary>
    public const string AnalyticsDb = "analyticsdb";

    /// <summary>The alerting service's database.</summary>
    public const string AlertingDb = "alertingdb";

    /// <summary>The identity service: users, organizations, projects, memberships, tokens.</summary>
    public const string Identity = "identity";

    /// <summary>The keys service: API keys.</summary>
    public const string Keys = "keys";

    /// <summary>The rate-limit service: policies and decisions.</summary>
    public const string RateLimit = "ratelimit";

    /// <summary>The ingest service: accepts request records and events.</summary>
    public const string Ingest = "ingest";

    /// <summary>The analytics service: stores, rolls up and queries request records.</summary>
    public const string Analytics = "analytics";

    /// <summary>The alerting service: rules, evaluation, alerts and notifications.</summary>
    public const string Alerting = "alerting";

    /// <summary>The demo's sample API (samples/Orders.Api), run locally unless the demo is switched off.</summary>
    public const string OrdersApi = "orders-api";

    /// <summary>The demo's traffic generator (samples/TrafficGenerator): bootstraps a demo tenant and sends traffic.</summary>
    public const string TrafficGenerator = "traffic-generator";

    /// <summary>Every database (ingest keeps nothing of its own: it has none).</summary>
    public static IReadOnlyList<string> Databases { get; } =
        [IdentityDb, KeysDb, RateLimitDb, AnalyticsDb, AlertingDb];

    /// <summary>Every service.</summary>
    public static IReadOnlyList<string> Services { get; } =
        [Identity, Keys, RateLimit, Ingest, Analytics, Alerting];

    /// <summary>The demo's resources (not SentryFlow's services: a user's API and its consumers).</summary>
    public static IReadOnlyList<string> Demo { get; } = [OrdersApi, TrafficGenerator];
}
