using System.Text.Json;
using System.Text.Json.Serialization;
using System.Diagnostics.Metrics;
using MassTransit.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SentryFlow.ServiceDefaults;
using SentryFlow.ServiceDefaults.Problems;
using SentryFlow.ServiceDefaults.Validation;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The plumbing every SentryFlow service shares: telemetry, health, service discovery, resilience
/// and problem-details error handling. A service's <c>Program.cs</c> calls
/// <see cref="AddServiceDefaults"/> on its builder first and <see cref="MapDefaultEndpoints"/> on the
/// built app first.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The path of the readiness endpoint: every health check must pass.</summary>
    public const string HealthPath = "/health";

    /// <summary>The path of the liveness endpoint: only checks tagged <see cref="LiveTag"/>.</summary>
    public const string AlivePath = "/alive";

    /// <summary>The path of the Prometheus scraping endpoint.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The path of the OpenAPI document each service maps with <c>app.MapOpenApi()</c>.</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>The tag of checks that say the process is alive (answered on <see cref="AlivePath"/>).</summary>
    public const string LiveTag = "live";

    /// <summary>The tag of checks that say a dependency is reachable (database, Redis, bus).</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds OpenTelemetry (logs, traces, metrics; OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
    /// set, Prometheus metrics always), the default health checks (a <c>self</c> check tagged
    /// <see cref="LiveTag"/>), service discovery, the standard resilience handler and service discovery
    /// on every <see cref="HttpClient"/>, and problem details (RFC 9457) for every error response.
    /// </summary>
    /// <remarks>
    /// Error handling is registered here and switched on by <see cref="MapDefaultEndpoints"/>:
    /// <see cref="BadHttpRequestException"/> (malformed JSON, a missing or unparsable parameter) becomes
    /// a 400 naming the parameter or JSON field, anything else a 500 that does not reveal the exception.
    /// Minimal APIs are told to throw on bad requests in every environment (not only Development) so the
    /// 400 can say what was wrong.
    /// </remarks>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.Services.AddCodedProblemDetails();
        // Enums travel as names ("admin", not 2) in every API; an unknown name is a 400 naming the field.
        // No request may carry text PostgreSQL cannot store: a NUL in a JSON string or the query is a 400 naming the field.
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            json.SerializerOptions.Converters.Add(new StorableStringConverter());
        });
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        return builder;
    }

    /// <summary>
    /// Configures OpenTelemetry logging, tracing and metrics: ASP.NET Core, HttpClient, .NET runtime,
    /// Npgsql and MassTransit instrumentation, plus the application's own activity source and meter
    /// (both named after <see cref="IHostEnvironment.ApplicationName"/>).
    /// </summary>
    public static IHostApplicationBuilder ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation() // the "Npgsql" meter
                .AddMeter(DiagnosticHeaders.DefaultListenerName)
                .AddMeter(builder.Environment.ApplicationName)
                .AddPrometheusExporter());
        builder.Services.ConfigureOpenTelemetryMeterProvider((services, metrics) =>
        {
            var ownMeters = services.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument => PrometheusSafeName(instrument, ownMeters));
        });

        // Traces are recorded only where they go somewhere: with no collector every request's activities were made,
        // tagged and thrown away (trace context is still read from and sent in headers either way).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(builder.Environment.ApplicationName)
                    .AddAspNetCoreInstrumentation(options =>
                        // Probes and scrapes would drown the real traffic.
                        options.Filter = context => !IsInfrastructurePath(context.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddSource(DiagnosticHeaders.DefaultListenerName))
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// Prometheus reserves a <c>_count</c> suffix for histograms and summaries, and <c>promtool check metrics</c>
    /// rejects runtime gauges such as <c>dotnet.assembly.count</c>; those are exported as <c>dotnet_assembly_number</c>.
    /// MassTransit records its durations in milliseconds under names without a unit; a view cannot rescale values, and a
    /// Prometheus duration is in seconds, so those histograms are not exported (the bus's counters are).
    /// Meters are matched by name, so a host would also take in another host's meters of the same name in the same
    /// process (the test harness runs several): those made by another host's <see cref="IMeterFactory"/> are left out.
    /// </summary>
    private static MetricStreamConfiguration? PrometheusSafeName(Instrument instrument, IMeterFactory ownMeters)
    {
        if (instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, ownMeters))
        {
            return MetricStreamConfiguration.Drop;
        }

        if (instrument.Meter.Name == DiagnosticHeaders.DefaultListenerName && instrument.Name.EndsWith(".duration", StringComparison.Ordinal))
        {
            return MetricStreamConfiguration.Drop;
        }

        return instrument.Name.EndsWith(".count", StringComparison.Ordinal) && !instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal)
            ? new MetricStreamConfiguration { Name = instrument.Name[..^".count".Length] + ".number" }
            : null;
    }

    /// <summary>Adds the <c>self</c> health check, tagged <see cref="LiveTag"/>, and bounds every check's time (<see cref="HealthCheckTimeoutOptions"/>).</summary>
    public static IHostApplicationBuilder AddDefaultHealthChecks(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        BoundedHealthChecks.Register(builder.Services);

        return builder;
    }

    /// <summary>
    /// Switches on problem-details error handling and maps the endpoints every service has, in every
    /// environment: <see cref="HealthPath"/> (all checks: readiness, dependencies reachable),
    /// <see cref="AlivePath"/> (only checks tagged <see cref="LiveTag"/>), <see cref="MetricsPath"/>
    /// (Prometheus), <c>GET /problems</c> (every error code the service answers) and <c>GET /</c> (the service's name and where its OpenAPI document is).
    /// </summary>
    /// <remarks>
    /// Call it first on the built app, before any other middleware or endpoint: it adds
    /// <c>UseExceptionHandler()</c> (which uses the handler registered by <see cref="AddServiceDefaults"/>)
    /// and <c>UseStatusCodePages()</c> (so an empty 404, 405, 401... gets a problem-details body) to the
    /// pipeline at the point where it is called; then the NUL guard, and the binding of enum query values in any case,
    /// as the responses print them (<c>?state=firing</c> for <c>Firing</c>). The health endpoints answer <c>200 Healthy</c>
    /// (or <c>200 Degraded</c>) and <c>503 Unhealthy</c>, as plain text.
    /// </remarks>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(NulCharacterGuard.InvokeAsync);
        app.Use(EnumQueryNames.InvokeAsync);

        app.MapHealthChecks(HealthPath);
        app.MapHealthChecks(AlivePath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        app.MapProblemCatalogue();

        var serviceName = app.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name
            ? name
            : app.Environment.ApplicationName;
        app.MapGet("/", () => Results.Ok(new { service = serviceName, openapi = OpenApiPath }))
            .ExcludeFromDescription();

        return app;
    }

    private static bool IsInfrastructurePath(PathString path) =>
        path.StartsWithSegments(HealthPath)
        || path.StartsWithSegments(AlivePath)
        || path.StartsWithSegments(MetricsPath);
}
